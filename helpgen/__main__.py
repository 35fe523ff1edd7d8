from helpgen.commands.cli import main

main()
