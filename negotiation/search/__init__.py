"""Floor 4, searching a scenario's futures: every reachable state (``explore``), Monte
Carlo runs over labelled probabilities (``sample``), the same on Dask
(``distributed``)."""
