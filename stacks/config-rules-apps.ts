// Cross-field rules about the apps as their upstreams run them: what Immich's machine learning
// needs from the VM (memory, a CPU type that shows AVX). Called from config-rules.ts; like the rules
// there, they read the partly validated configuration defensively.
import { minimumTotalMiB } from "../components/apps/memory";
import type { ConfigProblem } from "./config-rules";

function at(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined), value);
}

/** Whether Immich runs with its machine learning (both switches default to on). */
export function immichMachineLearningOn(config: unknown): boolean {
    return at(config, "apps", "immich", "enabled") !== false && at(config, "apps", "immich", "machineLearning") !== false;
}

/** What turning Immich's machine learning off saves at the least, in MiB, for the budget rule's message. */
export function machineLearningSavingMiB(): number {
    return minimumTotalMiB("immich") - minimumTotalMiB("immichWithoutMachineLearning");
}

/** Immich's memory must hold machine learning's 2.5 GiB floor when it runs. */
function immichMemoryRule(config: unknown): ConfigProblem[] {
    const memory = at(config, "apps", "immich", "memoryMiB");
    const needed = minimumTotalMiB("immich");
    if (!immichMachineLearningOn(config) || typeof memory !== "number" || memory >= needed) {
        return [];
    }
    return [{
        key: "apps.immich.memoryMiB",
        message: `${memory} MiB is below the ${needed} MiB Immich needs with machine learning (at least ${needed} MiB; or set homelab:apps.immich.machineLearning to false, which needs ${minimumTotalMiB("immichWithoutMachineLearning")} MiB)`,
    }];
}

/**
 * Proxmox's x86-64-v2-AES hides AVX from the guest, and Immich's machine learning needs it
 * (immich-charts#9, fixed by the CPU type host). x86-64-v3 and v4 include AVX.
 */
function immichCpuRule(config: unknown): ConfigProblem[] {
    const cpuType = at(config, "vm", "cpuType");
    if (!immichMachineLearningOn(config) || cpuType !== "x86-64-v2-AES") {
        return [];
    }
    return [{
        key: "vm.cpuType",
        message: "x86-64-v2-AES hides AVX from the VM, which Immich's machine learning needs (host, the default, or x86-64-v3/v4 on a CPU with AVX2; or set homelab:apps.immich.machineLearning to false)",
    }];
}

/** Every apps rule. */
export function appsRules(config: unknown): ConfigProblem[] {
    return [...immichMemoryRule(config), ...immichCpuRule(config)];
}
