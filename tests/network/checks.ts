// What the network tier asks of a peer: its handshakes, its resolver's answers, HTTPS status by
// name, and which address the internet web server sees. Bounded: every wait has a round limit.
import { INTERNET } from "./lab";
import type { Lab, PeerInLab } from "./lab";
import { run } from "./namespaces";
import type { StackView } from "./stack-view";
import { pollFor } from "./wait";

export function vmAddressOf(stack: StackView): string {
    return stack.vmAddress.split("/")[0]!;
}

/** Alive and not a zombie (an exited daemon waits for whichever init adopted it to reap it). */
export function isRunning(pid: number): boolean {
    const status = run("cat", [`/proc/${pid}/status`]);
    return status.status === 0 && !/^State:\s+Z/m.test(status.stdout);
}

/** The checks, over the lab the tests build in beforeAll (hence a getter). */
export function peerChecks(lab: () => Lab) {
    function peerNamed(stack: StackView, name: string): PeerInLab {
        const found = lab().peers.find((candidate) => candidate.stack === stack && candidate.peer.name === name);
        if (found === undefined) {
            throw new Error(`no peer ${name} of ${stack.stack} in the lab`);
        }
        return found;
    }

    function caOf(stack: StackView): string {
        return lab().certificates.get(stack.stack)!.caCertificate;
    }

    /** `wg show <interface> latest-handshakes` as public key → seconds since the epoch (0: none). */
    function latestHandshakes(role: string, interfaceName: string): Map<string, number> {
        const text = lab().world.exec(role, ["wg", "show", interfaceName, "latest-handshakes"]);
        return new Map(text.trim().split("\n").filter((line) => line !== "").map((line) => {
            const [key, seconds] = line.split("\t");
            return [key!, Number(seconds)];
        }));
    }

    /** Waits (bounded) for the peer's tunnel to have a handshake; returns its time or 0. */
    function waitForHandshake(peer: PeerInLab, seconds = 5): number {
        return pollFor(() => {
            const time = [...latestHandshakes(peer.role, peer.tunnelInterface).values()][0] ?? 0;
            return time > 0 ? time : undefined;
        }, seconds * 10, 100) ?? 0;
    }

    /** What the peer's resolver (its /etc/resolv.conf, set from the file's DNS line) answers for a name. */
    function resolve(peer: PeerInLab, name: string): string {
        return lab().world.run(peer.role, ["dig", "+short", "+time=2", "+tries=1", name, "A"]).stdout.trim();
    }

    /**
     * HTTPS status for https://<name>/ from the peer, verifying the homelab CA ("000" and curl's error
     * when it fails); the name resolves through the peer's DNS unless `address` pins it.
     */
    function httpsStatus(peer: PeerInLab, name: string, address?: string): string {
        const pin = address === undefined ? [] : ["--resolve", `${name}:443:${address}`];
        const result = lab().world.run(peer.role, ["curl", "--silent", "--show-error", "--max-time", "3", ...pin, "--cacert", caOf(peer.stack), "--output", "/dev/null", "--write-out", "%{http_code}", `https://${name}/`]);
        return result.status === 0 ? result.stdout : `${result.stdout} ${result.stderr.trim()}`;
    }

    /** What the internet web server saw as the client address ("" when unreachable). */
    function webSeesFrom(peer: PeerInLab, family: "-4" | "-6"): string {
        const url = family === "-4" ? `http://${INTERNET.web}/` : `http://[${INTERNET.web6}]/`;
        return lab().world.run(peer.role, ["curl", family, "--silent", "--max-time", "3", url]).stdout.trim();
    }

    return { peerNamed, latestHandshakes, waitForHandshake, resolve, httpsStatus, webSeesFrom };
}
