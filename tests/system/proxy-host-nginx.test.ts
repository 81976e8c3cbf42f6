// The advanced settings each app puts in its proxy host are pasted by NPM into that host's nginx
// server block. Checked here by the real nginx (`nginx -t`) inside a server block shaped like NPM's
// proxy_host template (the upstream in variables, NPM's default `location /`), for every host in
// the prod plan. nginx -t parses and checks; it binds nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/capture";
import { planStack, resourcesOfType } from "../helpers/plan";
import { requireTool, runTool } from "../helpers/system-tools";

let plan: Plan;
let folder: string;

beforeAll(async () => {
    requireTool("nginx", "nginx-light");
    plan = await planStack("prod");
    folder = mkdtempSync(join(tmpdir(), "homelab-nginx-"));
}, 60_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface HostInputs { domainNames: string[]; forwardScheme: string; forwardHost: string; forwardPort: number; advancedConfig: string }

function nginxTest(name: string, host: HostInputs): { status: number; output: string } {
    const path = join(folder, `${name}.conf`);
    const temp = (kind: string) => `${kind}_temp_path ${join(folder, kind)};`;
    writeFileSync(path, [
        `pid ${join(folder, `${name}.pid`)};`,
        `error_log ${join(folder, "error.log")};`,
        "events {}",
        "http {",
        "  access_log off;",
        `  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}`,
        "  server {",
        "    listen 127.0.0.1:8443;",
        `    server_name ${host.domainNames.join(" ")};`,
        `    set $forward_scheme ${host.forwardScheme};`,
        `    set $server "${host.forwardHost}";`,
        `    set $port ${host.forwardPort};`,
        host.advancedConfig,
        "    location / {",
        "      proxy_pass $forward_scheme://$server:$port$request_uri;",
        "    }",
        "  }",
        "}",
        "",
    ].join("\n"));
    const result = runTool("nginx", ["-t", "-q", "-p", folder, "-c", path]);
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the proxy hosts' nginx settings under the real nginx", () => {
    it("every host in the prod plan passes nginx -t", () => {
        const hosts = resourcesOfType(plan, "pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost");
        expect(hosts).toHaveLength(5);
        for (const host of hosts) {
            expect({ host: host.name, ...nginxTest(host.name, host.inputs as unknown as HostInputs) }).toEqual({ host: host.name, status: 0, output: "" });
        }
    });

    it("a misspelt directive in the same place fails it (the check can fail)", () => {
        const broken = nginxTest("broken", { domainNames: ["x.home.arpa"], forwardScheme: "http", forwardHost: "x", forwardPort: 80, advancedConfig: "proxy_request_bufering off;" });
        expect(broken.status).not.toBe(0);
        expect(broken.output).toContain('unknown directive "proxy_request_bufering"');
    });
});
