"""storefirst tooling: Terraform harness, Lambda packaging, local stack and benchmarks."""
