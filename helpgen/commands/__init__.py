"""The command line: `helpgen build`, `new`, `import`, `check` and `serve`."""
