# Root module of the storefirst registry package (<namespace>/storefirst/aws). It creates
# nothing by itself: storefirst is a collection of building blocks, each a submodule under
# modules/ (the registry's `//modules/<name>` sources), composed by envs/app. The root exists
# because the registry's standard module structure requires Terraform files at the top.
