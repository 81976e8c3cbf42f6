// Pulumi's entry point: everything lives in stacks/ so that the offline plan runs the same program.
import { program } from "./stacks/program";

export = () => program();
