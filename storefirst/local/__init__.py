"""The local stack: an embedded AWS emulator, real `terraform apply`, a local API gateway
and event source mapping runners that execute what Terraform deployed.

Modules:
- emulator: moto server in this process on 127.0.0.1, plus the few shims it needs;
- tfapply:  apply-able copies of an env pointed at the emulator, apply/destroy/outputs;
- runtime:  runs Lambda handlers in per-function worker processes;
- esm:      SQS event source mappings polled for real;
- apigw:    the local API Gateway (HTTP and REST request chains) executing what was read back
            from the emulator (`gateway` keeps the old import name);
- sqs_strict, trust_shim: the emulator refusing what SQS / Lambda / Step Functions refuse;
- up:       `storefirst up`: all of the above for one env, until Ctrl-C.
"""
