process.stdout.write("cli: filled in by the auth work\n");
