"""Settings: `helpgen.yml` read and checked against its schema, the YAML reader every file goes
through, and the rule for locale codes."""
