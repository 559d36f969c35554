// Build-time code generation: everything the Worker and the CLI need that must not be made at run time.
// Steps are added here as they land (schema validators compiled to code, the CLI bundle).
console.log("build: nothing to generate yet");
