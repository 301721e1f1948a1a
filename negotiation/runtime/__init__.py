"""Floor 3, the runtime: a validated scenario compiled once and stepped. The engine
(``engine``), event semantics (``acts``), the calendar clock and deadline rules
(``clock``), lifecycles as ``transitions`` Machines and their tables (``lifecycles``),
scenario checks (``validate``), legal moves (``legal``), the move notation
(``notation``), the explorer's state space (``space``) and the compiled runtime
(``compiled``)."""
