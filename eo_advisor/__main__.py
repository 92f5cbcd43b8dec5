from eo_advisor.cli.app import main

main()
