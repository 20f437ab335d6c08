from aexl.cli import main

raise SystemExit(main())
