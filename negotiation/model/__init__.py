"""Floor 1, the model: what a scenario says, as frozen pydantic models that are also the
file's schema (dates, attribution, parties, documents and points, positions, events,
deadlines, rules, lifecycles as data, decision points, the scenario), the names a
scenario declares (``vocabulary``), the snapshots a run reports (``state``, ``trace``)
and the error family. No behaviour beyond validation; nothing here imports a higher
floor."""
