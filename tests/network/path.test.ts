// phone → WireGuard → DNS → proxy → app, for real: both stacks' WireGuard servers configured by the
// plan's own command, their DNS servers, the VMs' HTTPS, the peers' own client files, behind a home
// router with the plan's port forward. Then the negative controls that prove these tests can fail,
// and a last test that nothing is left behind. Needs root; see docs/network-tests.md.
import { readFileSync } from "node:fs";
import { readProbeScript } from "../../components/probe/post-deploy-probe";
import { shellQuote } from "../../components/wireguard/scripts";
import { editedStackText } from "../helpers/stack-text";
import { isRunning, peerChecks, vmAddressOf } from "./checks";
import { INTERNET, Lab, stackRoles } from "./lab";
import { requireNetworkTools, run, World } from "./namespaces";
import { viewStack } from "./stack-view";
import type { StackView } from "./stack-view";
import { nowSeconds, sleepMs } from "./wait";

let world: World;
let lab: Lab;
let prod: StackView;
let dev: StackView;

beforeAll(async () => {
    requireNetworkTools();
    // One at a time: the Pulumi runtime the plan runs under is global.
    prod = await viewStack("prod");
    dev = await viewStack("dev");
    world = new World();
    lab = new Lab(world, [prod, dev]);
    // Any exit (an error, a timeout, Ctrl-C) still tears the namespaces down; the runner's trap is the last resort.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            world.teardown();
            process.exit(130);
        });
    }
    lab.build();
}, 60_000);

afterAll(() => {
    world?.teardown();
});

const { peerNamed, latestHandshakes, waitForHandshake, resolve, httpsStatus, webSeesFrom } = peerChecks(() => lab);

const splitPeers = () => lab.peers.filter((peer) => peer.peer.routing === "split");

describe("the home router", () => {
    it("forwards each stack's WireGuard port to its server, as the plan's port-forward rule says", () => {
        const rules = world.exec("router", ["iptables", "-t", "nat", "-S", "PREROUTING"]);
        for (const stack of [prod, dev]) {
            const forward = stack.portForward;
            expect(rules).toContain(`-p udp -m udp --dport ${forward.port} -j DNAT --to-destination ${forward.toAddress}:${forward.toPort}`);
            expect(forward.toAddress).toBe(stack.serverAddress.split("/")[0]);
        }
    });

    it("has no route to the tunnel subnets: replies reach peers only because the server masquerades", () => {
        for (const address of [prod.peers[0]!.address, dev.peers[0]!.address]) {
            expect(world.exec("router", ["ip", "route", "get", address])).toMatch(/ dev wan /);
        }
    });
});

describe("the WireGuard servers, configured by the plan's own command", () => {
    it.each(["prod", "dev"])("%s: wg0 listens on the stack's port with exactly the plan's peers", (name) => {
        const stack = name === "prod" ? prod : dev;
        const role = stackRoles(stack).server;
        expect(world.exec(role, ["wg", "show", "wg0", "listen-port"]).trim()).toBe(String(stack.portForward.toPort));
        const expected = [...stack.configCommand.stdin.matchAll(/^PublicKey = (.*)$/gm)].map((match) => match[1]).sort();
        expect(world.exec(role, ["wg", "show", "wg0", "peers"]).trim().split("\n").sort()).toEqual(expected);
        expect(expected).toHaveLength(stack.peers.length);
    });

    it("ran configure-server.sh byte for byte as the plan carries it", () => {
        const script = readFileSync(`${__dirname}/../../components/wireguard/configure-server.sh`, "utf8");
        expect(prod.configCommand.create).toContain(`pct exec ${prod.containerId} -- bash -c '${script.replace(/'/g, `'\\''`)}'`);
    });
});

describe("split peers (prod's phone, dev's test-laptop)", () => {
    it("complete a handshake through the router's port forward", () => {
        expect(splitPeers().map((peer) => peer.peer.name).sort()).toEqual(["phone", "test-laptop"]);
        for (const peer of splitPeers()) {
            expect({ peer: peer.peer.name, handshake: waitForHandshake(peer) > 0 }).toEqual({ peer: peer.peer.name, handshake: true });
        }
    });

    it("resolve every app name through the tunnel, with the DNS server their file names", () => {
        for (const peer of splitPeers()) {
            const dnsLine = /^DNS = (.*)$/m.exec(peer.peer.config)?.[1];
            expect(world.exec(peer.role, ["cat", "/etc/resolv.conf"])).toContain(`nameserver ${dnsLine}`);
            for (const [name, address] of Object.entries(peer.stack.names)) {
                expect({ peer: peer.peer.name, name, resolved: resolve(peer, name) }).toEqual({ peer: peer.peer.name, name, resolved: address });
            }
        }
    });

    it("resolve other names too: the homelab DNS forwards them to the LAN's DNS (the router)", () => {
        for (const peer of splitPeers()) {
            expect({ peer: peer.peer.name, resolved: resolve(peer, "www.example.net") }).toEqual({ peer: peer.peer.name, resolved: INTERNET.web });
        }
    });

    it("get HTTPS 200 for every app name, verifying the homelab CA", () => {
        for (const peer of splitPeers()) {
            for (const name of peer.stack.httpsNames) {
                expect({ peer: peer.peer.name, url: `https://${name}/`, status: httpsStatus(peer, name) }).toEqual({ peer: peer.peer.name, url: `https://${name}/`, status: "200" });
            }
        }
    });

    it("are served, for every name, a certificate whose subjectAltName lists it (browsers ignore the CN; curl does not)", () => {
        for (const peer of splitPeers()) {
            for (const name of peer.stack.httpsNames) {
                const served = world.run(peer.role, ["sh", "-c", 'timeout 3 openssl s_client -connect "$1:443" -servername "$2" < /dev/null 2> /dev/null | openssl x509 -noout -ext subjectAltName', "sh", vmAddressOf(peer.stack), name]);
                expect({ peer: peer.peer.name, name, subjectAltName: served.stdout.includes(`DNS:${name}`) }).toEqual({ peer: peer.peer.name, name, subjectAltName: true });
            }
        }
    });

    it("reach the internet around the tunnel (the web server sees their own address, IPv4 and IPv6)", () => {
        for (const peer of splitPeers()) {
            expect(webSeesFrom(peer, "-4")).toBe(peer.internet.v4);
            expect(webSeesFrom(peer, "-6")).toBe(peer.internet.v6);
        }
    });
});

describe("the full-routing peer (prod's laptop)", () => {
    const laptop = () => peerNamed(prod, "laptop");

    it("completes a handshake, resolves every app name and gets HTTPS 200 for each", () => {
        expect(laptop().peer.routing).toBe("full");
        expect(waitForHandshake(laptop())).toBeGreaterThan(0);
        for (const name of prod.httpsNames) {
            expect({ name, resolved: resolve(laptop(), name), status: httpsStatus(laptop(), name) }).toEqual({ name, resolved: vmAddressOf(prod), status: "200" });
        }
    });

    it("sends internet traffic through the tunnel: the web server sees the router's WAN address", () => {
        expect(webSeesFrom(laptop(), "-4")).toBe(INTERNET.routerWan);
    });

    it("leaks no IPv6 around the tunnel: IPv6 goes into the tunnel, which has no IPv6 way out", () => {
        expect(world.exec(laptop().role, ["ip", "-6", "route", "get", INTERNET.web6])).toContain(`dev ${laptop().tunnelInterface}`);
        expect(webSeesFrom(laptop(), "-6")).toBe("");
    });
});

describe("the post-deploy probe (components/probe/probe.sh), from the WireGuard container", () => {
    it.each(["prod", "dev"])("%s: the plan's own probe command passes: every app name resolves and answers over HTTPS", (name) => {
        const stack = name === "prod" ? prod : dev;
        // Its stdin is the CA's PEM, which the tls provider makes during `up` (the plan holds a stand-in
        // for it): the lab's CA, made from the same parameters, goes in its place.
        // It passes in under a second; a failing one retries for minutes, so it is cut off after 15 s.
        const result = lab.runOnHost(stack.probeCommand.create, lab.certificates.get(stack.stack)!.caPem, 15_000);
        // All three at once, so a failure (or the timeout of a probe still retrying) shows what the probe said.
        const sites = stack.probeCommand.create.match(/'[^' ]+=https:\/\/[^']+'/g) ?? [];
        expect(sites.length).toBeGreaterThan(0);
        expect(result).toEqual({ status: 0, stdout: expect.stringContaining(`probe: all ${sites.length} apps answer by name over HTTPS`) as unknown, stderr: "" });
    });

    it("fails naming the app, the URL and what went wrong, for each failing app at once", () => {
        const name = dev.httpsNames[0]!;
        const sites = ["nosuch=https://nosuch.home.arpa/", `devapp=https://${name}/`].map(shellQuote).join(" ");
        // The same script as the component runs, one attempt, asked to verify dev's certificates against prod's CA.
        const create = `pct exec ${prod.containerId} -- bash -c ${shellQuote(readProbeScript())} probe 1 0 ${dev.dns.address} ${sites}`;
        const result = lab.runOnHost(create, lab.certificates.get("prod")!.caPem);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`probe: FAILED nosuch https://nosuch.home.arpa/: nosuch.home.arpa does not resolve through the homelab DNS at ${dev.dns.address}`);
        expect(result.stderr).toContain(`probe: FAILED devapp https://${name}/ (${name} is ${dev.names[name]}): curl: (60) SSL certificate problem`);
        expect(result.stderr).toContain("probe: 2 of 2 apps do not answer by name over HTTPS after 1 attempts");
    });
});

describe("negative controls: the same checks fail when the path is broken", () => {
    it("without the server's NAT rule, the LAN is unreachable (and reachable again with it)", () => {
        const phone = peerNamed(prod, "phone");
        const role = stackRoles(prod).server;
        const postUp = /^PostUp = .*?(iptables -t nat -A POSTROUTING [^;\n]*MASQUERADE)/m.exec(prod.configCommand.stdin)?.[1];
        expect(postUp).toBeDefined();
        const ruleArguments = postUp!.split(" ").slice(1);
        // The name is pinned to the VM: this is about the LAN's reachability, not about DNS.
        const name = prod.httpsNames[0]!;
        expect(httpsStatus(phone, name, vmAddressOf(prod))).toBe("200");
        world.exec(role, ["iptables", ...ruleArguments.map((word) => (word === "-A" ? "-D" : word))]);
        try {
            expect(httpsStatus(phone, name, vmAddressOf(prod))).toMatch(/^000 /);
        } finally {
            world.exec(role, ["iptables", ...ruleArguments]);
        }
        expect(httpsStatus(phone, name, vmAddressOf(prod))).toBe("200");
    });

    it("a key the server does not know gets no handshake", () => {
        const phone = prod.peers.find((peer) => peer.name === "phone")!;
        const strangerKey = run("wg", ["genkey"]).stdout.trim();
        const strangerConfig = phone.config.replace(/^PrivateKey = .*$/m, `PrivateKey = ${strangerKey}`);
        const stranger = lab.addPeer(prod, { ...phone, name: "stranger" }, strangerConfig, "prod-stranger");
        expect(waitForHandshake(stranger, 3)).toBe(0);
        expect(httpsStatus(stranger, prod.httpsNames[0]!, vmAddressOf(prod))).toMatch(/^000 /);
        const strangerPublicKey = run("wg", ["pubkey"], { input: `${strangerKey}\n` }).stdout.trim();
        expect([...latestHandshakes(stackRoles(prod).server, "wg0").keys()]).not.toContain(strangerPublicKey);
    });

    it("a peer removed from the stack and applied with `wg syncconf` is dropped; the other keeps its session", async () => {
        const phone = peerNamed(prod, "phone");
        const laptop = peerNamed(prod, "laptop");
        const server = stackRoles(prod).server;
        const phoneKey = /^PublicKey = (.*)$/m.exec(prod.configCommand.stdin.split("# phone")[1] ?? "")?.[1];
        const before = latestHandshakes(server, "wg0").get(phoneKey!) ?? 0;
        expect(before).toBeGreaterThan(0);
        // A new handshake would carry a later second than the one recorded.
        if (nowSeconds() <= before) {
            sleepMs(1100);
        }
        const withoutLaptop = await viewStack("prod", editedStackText("prod", (config) => {
            const wireguard = config["homelab:wireguard"] as { peers: { name: string }[] };
            wireguard.peers = wireguard.peers.filter((peer) => peer.name !== "laptop");
        }));
        // The same script; only the digest line says wg0.conf changed (so `pulumi up` re-runs it).
        const withoutDigest = (create: string) => create.split("\n").slice(1).join("\n");
        expect(withoutDigest(withoutLaptop.configCommand.create)).toBe(withoutDigest(prod.configCommand.create));
        expect(withoutLaptop.configCommand.create).not.toBe(prod.configCommand.create);
        lab.runConfigCommand(prod, withoutLaptop.configCommand);
        expect(world.exec(server, ["wg", "show", "wg0", "peers"]).trim()).toBe(phoneKey);
        const name = prod.httpsNames[0]!;
        expect(httpsStatus(laptop, name, vmAddressOf(prod))).toMatch(/^000 /);
        expect(httpsStatus(phone, name, vmAddressOf(prod))).toBe("200");
        expect(latestHandshakes(server, "wg0").get(phoneKey!)).toBe(before);
    });
});

describe("the end of the run", () => {
    it("leaves no namespace, link, process or file behind", () => {
        const namespaces = world.leftovers().filter((entry) => entry.startsWith("namespace "));
        expect(namespaces.length).toBeGreaterThan(0);
        const pids = [...new Set(lab.peers.map((peer) => peer.role).concat("router", "internet", "web", stackRoles(prod).server, stackRoles(dev).server, stackRoles(prod).vm, stackRoles(dev).vm))].flatMap((role) => world.pidsOf(role));
        expect(pids.length).toBeGreaterThan(0);
        world.teardown();
        expect(world.leftovers()).toEqual([]);
        expect(pids.filter(isRunning)).toEqual([]);
        // No link was ever made in the root namespace: none of the lab's interface names is there.
        const rootLinks = run("ip", ["-o", "link", "show"]).stdout;
        expect(rootLinks).not.toMatch(/: (hub|wan|lan|i-[\w-]+|l-[\w-]+|wg0)[@:]/);
    });
});
