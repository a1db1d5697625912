from jiramcp.cli import main

raise SystemExit(main())
