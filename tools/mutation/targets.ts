// What `npm run test:mutation` mutates, one file per line, each with the tests that are meant to pin
// it down. Only cheap tests belong here (pure functions, or one small program under mocks): Stryker
// runs them again for every mutant, so a test file that plans whole stacks (tests/stack, and
// tests/contract, which plans prod in its beforeAll) would make a run take hours.
// To mutate a new file, add one line.

export interface MutationTarget {
    /** The source file whose mutants are generated. */
    readonly file: string;
    /** Jest test path globs (relative to the project root) run against each mutant. */
    readonly tests: readonly string[];
}

/** The config rules' tests; config-messages.test.ts walks every key through the schema and is the schema's. */
const CONFIG_TESTS = [
    "tests/unit/config.test.ts", "tests/unit/config-apps.test.ts", "tests/unit/config-backups.test.ts", "tests/unit/config-image-digests.test.ts",
    "tests/unit/config-names.test.ts", "tests/unit/config-proxmox.test.ts", "tests/unit/config-rules.test.ts", "tests/unit/config-secret-messages.test.ts",
    "tests/unit/config-wireguard.test.ts", "tests/unit/config-rules-sections.test.ts",
];
/**
 * The NPM model's pure tests and the providers' tests against the fake API. Not
 * npm-provider-serialization.test.ts: it serializes the provider's closure with Pulumi's serializer,
 * which under Stryker copies the instrumented code's coverage record (global.__stryker__, made in
 * another realm) into the text by value, writing the accessors of that realm's Function.prototype as
 * plain objects: loading the text then throws "Getter must be a function". It tests the closure, not
 * these files' logic, which the others run unserialized.
 */
const NPM_PROVIDER_TESTS = [
    "tests/unit/npm-proxy-host-model.test.ts", "tests/unit/npm-proxy-host-provider.test.ts", "tests/unit/npm-proxy-host-provider-edges.test.ts",
    "tests/unit/npm-certificate-access-list-providers.test.ts", "tests/unit/npm-certificate-access-list-edges.test.ts",
];

export const MUTATION_TARGETS: readonly MutationTarget[] = [
    { file: "stacks/config-rules.ts", tests: CONFIG_TESTS },
    { file: "stacks/config-rules-apps.ts", tests: CONFIG_TESTS },
    { file: "stacks/config-rules-names.ts", tests: CONFIG_TESTS },
    { file: "stacks/config-rules-proxmox.ts", tests: CONFIG_TESTS },
    { file: "stacks/config-rules-backups.ts", tests: CONFIG_TESTS },
    // Most of the schema's mutants are static (one zod object built at load), so each runs every listed test: the rules' own tests stay out.
    { file: "stacks/config-schema.ts", tests: [...CONFIG_TESTS.filter((test) => !test.includes("config-rules")), "tests/unit/config-messages.test.ts", "tests/unit/config-schema-values.test.ts", "tests/unit/ssh-private-key.test.ts"] },
    { file: "stacks/config-schema-backups.ts", tests: ["tests/unit/config-backups.test.ts", "tests/unit/config-schema-backups.test.ts", "tests/unit/config-secret-messages.test.ts"] },
    { file: "components/network/ipv4.ts", tests: ["tests/unit/ipv4.test.ts", "tests/unit/wireguard-peer-addresses.test.ts", ...CONFIG_TESTS] },
    { file: "components/wireguard/peer-addresses.ts", tests: ["tests/unit/wireguard-peer-addresses.test.ts", "tests/unit/config-wireguard.test.ts"] },
    { file: "components/docker/service.ts", tests: ["tests/unit/docker-*.test.ts", "tests/unit/apps-environment.test.ts", "tests/component/docker-host.test.ts"] },
    { file: "tools/plan/diff.ts", tests: ["tests/unit/plan-diff*.test.ts", "tests/unit/plan-update-warnings.test.ts", "tests/unit/plan-replace-on-changes.test.ts"] },
    { file: "tools/plan/update-warnings.ts", tests: ["tests/unit/plan-update-warnings.test.ts", "tests/unit/plan-diff*.test.ts"] },
    { file: "tools/plan/replace-table.ts", tests: ["tests/unit/plan-diff*.test.ts", "tests/unit/replace-table*.test.ts"] },
    { file: "components/nginx-proxy-manager/proxy-host-model.ts", tests: NPM_PROVIDER_TESTS },
    { file: "components/nginx-proxy-manager/proxy-host-provider.ts", tests: NPM_PROVIDER_TESTS },
    { file: "components/nginx-proxy-manager/certificate-provider.ts", tests: NPM_PROVIDER_TESTS },
    { file: "components/nginx-proxy-manager/access-list-provider.ts", tests: NPM_PROVIDER_TESTS },
    { file: "components/dns/dnsmasq-config.ts", tests: ["tests/unit/dnsmasq-config.test.ts"] },
    { file: "components/tls/validity.ts", tests: ["tests/unit/tls-validity.test.ts"] },
    { file: "stacks/names.ts", tests: ["tests/unit/names-derivations.test.ts"] },
    { file: "components/backups/upgrade-policy.ts", tests: ["tests/unit/upgrade-policy*.test.ts"] },
    { file: "components/backups/backup-files.ts", tests: ["tests/unit/backup-files.test.ts"] },
    { file: "components/backups/guest-backup-job.ts", tests: ["tests/component/guest-backup-job.test.ts"] },
    { file: "stacks/upgrade-guard.ts", tests: ["tests/unit/upgrade-policy.test.ts", "tests/unit/upgrade-guard.test.ts"] },
    { file: "tools/plan/upgrade-check.ts", tests: ["tests/unit/upgrade-check.test.ts"] },
];
