# The root module has no outputs; see modules/<name>/README.md for each submodule's outputs.
