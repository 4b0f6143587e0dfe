"""scrc simulator: publishes sample submissions and checks the verdicts.

Modules:
    scenarios  the language x outcome table (limits, tests, expectations)
    problems   the problems table (checkers, interactors, groups, files, limits)
    verdict    comparison of a result record with its expectation, tables
    settings   environment variables and flags (flags win)
    kafkaio    thin confluent-kafka wrappers (imported lazily)
    main       the end-to-end check (python3 -m simulator.main)
    bench      load profiles and worker sweeps (python3 -m simulator.bench)
"""
