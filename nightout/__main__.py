from nightout.cli import main

main()
