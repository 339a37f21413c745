# The root module takes no inputs; see modules/<name>/README.md for each submodule's inputs.
