from helpgen.cli import main

main()
