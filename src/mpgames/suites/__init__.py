"""Suite files (harness spec §8): the TOML format and its check, and the default suite of `mpgames demo`.
The suites shipped with the package (`default.toml`, `ci.toml`) are package data beside this file."""
