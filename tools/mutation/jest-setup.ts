// Loaded by jest only under `npm run test:mutation`. A mutant that breaks a fast-check property
// fails it at once; shrinking the counterexample, which helps a person read a real failure, would
// only take long enough for Stryker to count a timeout instead of a kill.
import fc from "fast-check";

fc.configureGlobal({ endOnFailure: true });
