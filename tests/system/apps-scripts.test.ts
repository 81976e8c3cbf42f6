// The apps' scripts, run for real: shellcheck for each; the folders step against real folders
// (created, fixed, refused); the first-admin steps against local stand-ins of Immich's and
// Jellyfin's APIs that check every request against the apps' OpenAPI documents vendored under
// schemas/ (derived from @immich/sdk 3.2.2 for the pinned v3.2.4 and @jellyfin/sdk 0.13.0 for
// 10.11.x: schemas/SOURCES.md).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_SCRIPTS_DIRECTORY } from "../../components/apps/app-folders";
import { scriptPath } from "../../components/proxmox/bootstrap-scripts";
import type { ApiStub, Handler } from "../helpers/api-stub";
import { startApiStub } from "../helpers/api-stub";
import { OpenApiValidator, vendoredDocument } from "../helpers/openapi-validator";
import { IMMICH_API, JELLYFIN_API } from "../../tools/openapi/documents";
import { requireTool, runTool } from "../helpers/system-tools";

const scripts = readdirSync(APP_SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh")).sort();
const appScript = (name: string) => join(APP_SCRIPTS_DIRECTORY, `${name}.sh`);
let scratch: string;

beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "homelab-apps-"));
});
afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
});

describe("shellcheck", () => {
    it("finds the apps' scripts", () => {
        expect(scripts).toEqual(["app-folders.sh", "immich-first-admin.sh", "jellyfin-first-admin.sh", "nextcloud-before-starting.sh"]);
    });

    it.each(scripts)("passes %s with no finding at any severity, in the shell its first line names", (script) => {
        const shellcheck = requireTool("shellcheck", "shellcheck");
        // The Nextcloud hook runs in the container's /bin/sh; the others in the VM's bash.
        const shell = script === "nextcloud-before-starting.sh" ? "sh" : "bash";
        const result = runTool(shellcheck, ["--severity=style", `--shell=${shell}`, join(APP_SCRIPTS_DIRECTORY, script)]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});

/** A folder that is a mount point here. */
function mountedDirectory(): string {
    const mountpoint = requireTool("mountpoint", "util-linux");
    const found = ["/", "/proc", "/dev"].find((path) => runTool(mountpoint, ["-q", path]).status === 0);
    if (found === undefined) {
        throw new Error("none of /, /proc, /dev is a mount point here");
    }
    return found;
}

describe("an app's folders step", () => {
    // Root here, as on the VM (sudo): owners other than our own can be set and checked.
    const other = "4242:4242";

    function runFolders(dataMountPoint: string, lines: string[]) {
        const result = spawnSync("bash", [appScript("app-folders")], {
            encoding: "utf8",
            env: {
                PATH: process.env["PATH"],
                APP: "testapp",
                FOLDERS_BASE64: Buffer.from(lines.map((line) => `${line}\n`).join("")).toString("base64"),
                DATA_MOUNT_POINT: dataMountPoint,
                GUARD_PATH: scriptPath("data-disk-guard"),
                DEFAULT_OWNER: "0:0",
            },
        });
        return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    }
    const ownerAndMode = (path: string) => {
        const stat = statSync(path);
        return `${stat.uid}:${stat.gid} ${(stat.mode & 0o777).toString(8).padStart(4, "0")}`;
    };

    it("creates missing folders with their owner and mode, parents with the default", () => {
        const root = join(scratch, "create");
        const result = runFolders(mountedDirectory(), [`own ${root}/docker/immich/postgres ${other} 0700`, `seed ${root}/docker/html 33:33 0750`]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(ownerAndMode(join(root, "docker", "immich", "postgres"))).toBe(`${other} 0700`);
        expect(ownerAndMode(join(root, "docker", "immich"))).toBe("0:0 0755");
        expect(ownerAndMode(join(root, "docker", "html"))).toBe("33:33 0750");
        expect(result.stdout).toContain("testapp folders: 5 created, 0 fixed, 0 already in place");
    });

    it("sets an owned folder's wrong owner and mode back, saying what it was; a second run finds nothing to do", () => {
        const folder = join(scratch, "fix", "data");
        mkdirSync(folder, { recursive: true });
        chownSync(folder, 0, 0);
        chmodSync(folder, 0o755);
        const first = runFolders(mountedDirectory(), [`own ${folder} ${other} 0750`]);
        expect(first.status).toBe(0);
        expect(first.stdout).toContain(`testapp folders: ${folder} was 0:0 755, set to ${other} 0750`);
        expect(ownerAndMode(folder)).toBe(`${other} 0750`);
        const second = runFolders(mountedDirectory(), [`own ${folder} ${other} 0750`]);
        expect(second.stdout).toContain("0 created, 0 fixed, 1 already in place");
    });

    it("leaves a seeded folder to its container once it exists", () => {
        const folder = join(scratch, "seed", "html");
        mkdirSync(folder, { recursive: true });
        chownSync(folder, 33, 0);
        const result = runFolders(mountedDirectory(), [`seed ${folder} 33:33 0750`]);
        expect(result.status).toBe(0);
        expect(ownerAndMode(folder)).toBe(`33:0 ${(statSync(folder).mode & 0o777).toString(8).padStart(4, "0")}`);
        expect(result.stdout).toContain("0 fixed");
    });

    it("refuses a missing folder the app only reads, naming it and what was expected", () => {
        const missing = join(scratch, "read", "movies");
        const result = runFolders(mountedDirectory(), [`read ${missing} 1000:1000 0755`]);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(`testapp folders: ${missing} is missing (expected the owner's folder, which the VM bootstrap creates; this app only reads it)\n`);
        expect(() => statSync(missing)).toThrow();
    });

    it("refuses a file where a folder belongs, naming it and the expected owner and mode", () => {
        const file = join(scratch, "not-a-folder");
        writeFileSync(file, "");
        const result = runFolders(mountedDirectory(), [`own ${file} ${other} 0750`]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`${file} exists but is not a folder (expected a folder owned by ${other}, mode 0750)`);
    });

    it("creates nothing on a data disk that is not mounted, and fails", () => {
        const media = join(scratch, "unmounted-media");
        mkdirSync(media, { recursive: true });
        const result = runFolders(media, [`own ${media}/immich 1000:1000 0750`]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("nothing is mounted");
        expect(() => statSync(join(media, "immich"))).toThrow();
    });

    it.each([["a path with ..", "own /srv/../etc 0:0 0755"], ["a bad owner", "own /srv/x root 0755"], ["a bad mode", "own /srv/x 0:0 755x"], ["a bad access", "write /srv/x 0:0 0755"]])("refuses %s", (_, line) => {
        const result = runFolders(mountedDirectory(), [line]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^testapp folders: (refusing|bad)/);
    });
});

/** Runs a first-admin script against a stub, the password on standard input; asynchronous, so the stub can answer. */
function runFirstAdmin(script: string, baseUrl: string, environment: Record<string, string>, password: string): Promise<{ status: number; stdout: string; stderr: string }> {
    // What the VM has too (Ubuntu's cloud image): the scripts talk HTTP with curl and read JSON with python3.
    requireTool("curl", "curl");
    requireTool("python3", "python3");
    return new Promise((resolve) => {
        // /usr/bin first: the VM's python3 is Ubuntu's, and a version manager's shim here costs seconds per call.
        const child = spawn("bash", [appScript(script)], { env: { PATH: `/usr/bin:${process.env["PATH"] ?? ""}`, BASE_URL: baseUrl, WAIT_SECONDS: "20", ...environment } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
        child.stdin.end(password);
    });
}

const PASSWORD = "generated-Password-1";

describe("Immich's first admin, against a stand-in checked by the vendored OpenAPI document", () => {
    let contract: OpenApiValidator;
    beforeAll(() => {
        contract = new OpenApiValidator(vendoredDocument(IMMICH_API));
    });

    // Immich's ids are UUIDs (its published document says format: uuid for the scan path's id).
    const USER_ID = "5b1f1f3e-8a2c-4c55-9a53-0c7f2f0e1a01";
    const libraryId = (index: number) => `9d4c7a52-3f6e-4b8a-8c1d-${String(index).padStart(12, "0")}`;

    /** An Immich with state, as the real one behaves: sign-up only while uninitialized, login by e-mail and password. */
    function immich(state: { admin?: { email: string; password: string }; libraries: { id: string; importPaths: string[] }[] }): Record<string, Handler> {
        const bearer = (headers: Record<string, unknown>) => headers["authorization"] === "Bearer token-1";
        return {
            pingServer: () => ({ status: 200, body: { res: "pong" } }),
            getServerConfig: () => ({ status: 200, body: { isInitialized: state.admin !== undefined } }),
            signUpAdmin: ({ body }) => {
                if (state.admin !== undefined) {
                    return { status: 400, body: { message: "The server already has an admin" } };
                }
                const { email, password } = body as { email: string; password: string };
                state.admin = { email, password };
                return { status: 201, body: { id: USER_ID, email, isAdmin: true } };
            },
            login: ({ body }) => {
                const { email, password } = body as { email: string; password: string };
                return state.admin?.email === email && state.admin.password === password
                    ? { status: 201, body: { accessToken: "token-1", userEmail: email, isAdmin: true } }
                    : { status: 401, body: { message: "Incorrect email or password" } };
            },
            getMyUser: ({ headers }) => (bearer(headers) ? { status: 200, body: { id: USER_ID } } : { status: 401 }),
            getAllLibraries: ({ headers }) => (bearer(headers) ? { status: 200, body: state.libraries.map((library) => ({ ...library, ownerId: USER_ID, name: "Photos" })) } : { status: 401 }),
            createLibrary: ({ body, headers }) => {
                if (!bearer(headers)) {
                    return { status: 401 };
                }
                const library = { id: libraryId(state.libraries.length + 1), importPaths: (body as { importPaths: string[] }).importPaths };
                state.libraries.push(library);
                return { status: 201, body: { ...library, ownerId: USER_ID, name: "Photos" } };
            },
            scanLibrary: ({ headers }) => (bearer(headers) ? { status: 204 } : { status: 401 }),
        };
    }
    const environment = { ADMIN_EMAIL: "owner@home.example", PHOTOS_PATH: "/mnt/photos" };
    let stub: ApiStub | undefined;
    afterEach(async () => {
        await stub?.close();
        stub = undefined;
    });

    it("the document refuses what Immich would: an unknown property, a missing one, a wrong type, an unknown operation", () => {
        const problems = (id: string, path: string, body: unknown, query = "") => contract.requestProblems(contract.operation(id), { path, query: new URLSearchParams(query), body });
        expect(problems("signUpAdmin", "/api/auth/admin-sign-up", { email: "a@b.c", name: "Admin", password: "x" })).toEqual([]);
        expect(problems("signUpAdmin", "/api/auth/admin-sign-up", { email: "a@b.c", password: "x", isAdmin: true })).toEqual([
            "body: must have required property 'name'",
            "body: must NOT have additional properties (isAdmin)",
        ]);
        expect(problems("createLibrary", "/api/libraries", { ownerId: "u", importPaths: "/mnt/photos" })).toEqual(["body.importPaths: must be array"]);
        expect(problems("createLibrary", "/api/libraries", undefined)).toEqual(["body: missing"]);
        expect(problems("scanLibrary", `/api/libraries/${libraryId(1)}/scan`, undefined, "refresh=true")).toEqual(["query: unknown parameter refresh (known: none)"]);
        // Only the operations the script calls are in the document: anything else is no operation.
        expect(contract.find("post", "/api/admin/users")).toBeUndefined();
        expect(contract.find("post", `/api/libraries/${libraryId(1)}/scan`)?.id).toBe("scanLibrary");
    });

    it("on a fresh Immich: signs the admin up, logs in, adds the photos as an external library and scans it", async () => {
        const state: Parameters<typeof immich>[0] = { libraries: [] };
        stub = await startApiStub(contract, immich(state));
        const result = await runFirstAdmin("immich-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(stub.seen.flatMap((request) => request.problems)).toEqual([]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(stub.seen.map((request) => request.operation)).toEqual(["pingServer", "getServerConfig", "signUpAdmin", "login", "getMyUser", "getAllLibraries", "createLibrary", "scanLibrary"]);
        expect(state.admin).toEqual({ email: "owner@home.example", password: PASSWORD });
        expect(stub.seen[6]!.body).toEqual({ ownerId: USER_ID, name: "Photos", importPaths: ["/mnt/photos"] });
        expect(stub.seen[7]!.url).toBe(`/api/libraries/${libraryId(1)}/scan`);
    });

    it("run again: finds the admin and the library, and changes nothing", async () => {
        const state = { admin: { email: "owner@home.example", password: PASSWORD }, libraries: [{ id: libraryId(1), importPaths: ["/mnt/photos"] }] };
        stub = await startApiStub(contract, immich(state));
        const result = await runFirstAdmin("immich-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(result.status).toBe(0);
        expect(stub.seen.map((request) => request.operation)).toEqual(["pingServer", "getServerConfig", "login", "getMyUser", "getAllLibraries"]);
        expect(result.stdout).toContain("nothing to do");
        expect(state.libraries).toHaveLength(1);
    });

    it("an admin whose password the owner changed is left alone, and no second admin is tried", async () => {
        const state = { admin: { email: "owner@home.example", password: "changed-by-owner" }, libraries: [] };
        stub = await startApiStub(contract, immich(state));
        const result = await runFirstAdmin("immich-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(result.status).toBe(0);
        expect(stub.seen.map((request) => request.operation)).toEqual(["pingServer", "getServerConfig", "login"]);
        expect(result.stdout).toContain("does not log in");
    });

    it("no password on standard input: refuses before any request", async () => {
        stub = await startApiStub(contract, immich({ libraries: [] }));
        const result = await runFirstAdmin("immich-first-admin", stub.baseUrl, environment, "");
        expect(result.status).toBe(1);
        expect(result.stderr).toBe("immich first admin: no password on standard input\n");
        expect(stub.seen).toEqual([]);
    });
});

describe("Jellyfin's startup wizard, against a stand-in checked by the vendored OpenAPI document", () => {
    let contract: OpenApiValidator;
    beforeAll(() => {
        contract = new OpenApiValidator(vendoredDocument(JELLYFIN_API));
    });

    interface JellyfinState { completed: boolean; user: { name: string; password?: string }; folders: string[]; knownProxies: string[] }
    function jellyfin(state: JellyfinState): Record<string, Handler> {
        const authorized = (headers: Record<string, unknown>) => typeof headers["authorization"] === "string" && headers["authorization"].includes('Token="token-1"');
        // The wizard's endpoints are open until it completes (FirstTimeSetupOrElevated); the rest need the admin.
        const open = (headers: Record<string, unknown>) => !state.completed || authorized(headers);
        return {
            GetPublicSystemInfo: () => ({ status: 200, body: { StartupWizardCompleted: state.completed, Version: "10.11.11" } }),
            UpdateInitialConfiguration: ({ headers }) => ({ status: open(headers) ? 204 : 401 }),
            GetFirstUser: ({ headers }) => (open(headers) ? { status: 200, body: { Name: state.user.name } } : { status: 401 }),
            UpdateStartupUser: ({ body, headers }) => {
                if (!open(headers)) {
                    return { status: 401 };
                }
                const { Name, Password } = body as { Name: string; Password: string };
                state.user = { name: Name, password: Password };
                return { status: 204 };
            },
            GetVirtualFolders: ({ headers }) => (open(headers) ? { status: 200, body: state.folders.map((name) => ({ Name: name })) } : { status: 401 }),
            AddVirtualFolder: ({ query, headers }) => {
                if (!open(headers)) {
                    return { status: 401 };
                }
                state.folders.push(query.get("name") ?? "");
                return { status: 204 };
            },
            AuthenticateUserByName: ({ body, headers }) => {
                const { Username, Pw } = body as { Username: string; Pw: string };
                const client = typeof headers["authorization"] === "string" && headers["authorization"].startsWith("MediaBrowser Client=");
                return client && Username === state.user.name && Pw === state.user.password ? { status: 200, body: { AccessToken: "token-1" } } : { status: 401 };
            },
            GetNamedConfiguration: ({ headers, path }) =>
                authorized(headers) && path.endsWith("/network") ? { status: 200, body: { KnownProxies: state.knownProxies, EnableRemoteAccess: true, InternalHttpPort: 8096 } } : { status: 401 },
            UpdateNamedConfiguration: ({ body, headers }) => {
                if (!authorized(headers)) {
                    return { status: 401 };
                }
                state.knownProxies = (body as { KnownProxies: string[] }).KnownProxies;
                return { status: 204 };
            },
            SetRemoteAccess: ({ headers }) => ({ status: open(headers) ? 204 : 401 }),
            CompleteWizard: ({ headers }) => {
                if (!open(headers)) {
                    return { status: 401 };
                }
                state.completed = true;
                return { status: 204 };
            },
        };
    }
    const environment = { ADMIN_USER: "admin", LIBRARIES: "Movies:movies:/media/movies Shows:tvshows:/media/tv", KNOWN_PROXY: "172.30.0.2" };
    let stub: ApiStub | undefined;
    afterEach(async () => {
        await stub?.close();
        stub = undefined;
    });

    it("the document refuses what Jellyfin would: an unknown query parameter, a collection type it does not have, a body field it does not know", () => {
        const problems = (id: string, path: string, query: string, body: unknown) => contract.requestProblems(contract.operation(id), { path, query: new URLSearchParams(query), body });
        expect(problems("AddVirtualFolder", "/Library/VirtualFolders", "name=Movies&collectionType=movies&paths=/media/movies&refreshLibrary=true", { LibraryOptions: {} })).toEqual([]);
        expect(problems("AddVirtualFolder", "/Library/VirtualFolders", "name=Movies&type=movies", undefined)).toEqual(["query: unknown parameter type (known: name, collectionType, paths, refreshLibrary)"]);
        expect(problems("AddVirtualFolder", "/Library/VirtualFolders", "collectionType=films&refreshLibrary=yes", undefined)).toEqual([
            "query.collectionType: must be equal to one of the allowed values (movies, tvshows, music, musicvideos, homevideos, boxsets, books, mixed)",
            "query.refreshLibrary: must be boolean",
        ]);
        expect(problems("UpdateStartupUser", "/Startup/User", "", { Username: "admin", Password: "x" })).toEqual(["body: must NOT have additional properties (Username)"]);
        expect(problems("UpdateNamedConfiguration", "/System/Configuration/network", "", { KnownProxies: "172.30.0.2" })).toEqual(["body.KnownProxies: must be array"]);
        // The script only writes the network configuration: another key is no operation of the document.
        expect(contract.find("post", "/System/Configuration/encoding")).toBeUndefined();
    });

    it("on a fresh Jellyfin: the admin, both libraries, the proxy as known proxy, then complete", async () => {
        const state: JellyfinState = { completed: false, user: { name: "root" }, folders: [], knownProxies: [] };
        stub = await startApiStub(contract, jellyfin(state));
        const result = await runFirstAdmin("jellyfin-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(stub.seen.flatMap((request) => request.problems)).toEqual([]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(stub.seen.map((request) => request.operation)).toEqual([
            "GetPublicSystemInfo",
            "UpdateInitialConfiguration",
            "GetFirstUser",
            "UpdateStartupUser",
            "GetVirtualFolders",
            "AddVirtualFolder",
            "AddVirtualFolder",
            "AuthenticateUserByName",
            "GetNamedConfiguration",
            "UpdateNamedConfiguration",
            "SetRemoteAccess",
            "CompleteWizard",
        ]);
        expect(state).toEqual({ completed: true, user: { name: "admin", password: PASSWORD }, folders: ["Movies", "Shows"], knownProxies: ["172.30.0.2"] });
        expect(stub.seen[5]!.url).toBe("/Library/VirtualFolders?name=Movies&collectionType=movies&paths=/media/movies&refreshLibrary=true");
        // The rest of the network configuration goes back as it came.
        expect(stub.seen[9]!.body).toEqual({ KnownProxies: ["172.30.0.2"], EnableRemoteAccess: true, InternalHttpPort: 8096 });
    });

    it("a run cut short before \"complete\" is finished by the next one, without adding a library twice", async () => {
        const state: JellyfinState = { completed: false, user: { name: "admin", password: PASSWORD }, folders: ["Movies"], knownProxies: [] };
        stub = await startApiStub(contract, jellyfin(state));
        const result = await runFirstAdmin("jellyfin-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(result.status).toBe(0);
        expect(stub.seen.filter((request) => request.operation === "AddVirtualFolder").map((request) => request.url)).toEqual([
            "/Library/VirtualFolders?name=Shows&collectionType=tvshows&paths=/media/tv&refreshLibrary=true",
        ]);
        expect(state.completed).toBe(true);
    });

    it("a completed wizard is left alone: one look, nothing else", async () => {
        const state: JellyfinState = { completed: true, user: { name: "someone", password: "theirs" }, folders: [], knownProxies: [] };
        stub = await startApiStub(contract, jellyfin(state));
        const result = await runFirstAdmin("jellyfin-first-admin", stub.baseUrl, environment, PASSWORD);
        expect(result.status).toBe(0);
        expect(stub.seen.map((request) => request.operation)).toEqual(["GetPublicSystemInfo"]);
        expect(result.stdout).toContain("nothing to do");
    });
});
