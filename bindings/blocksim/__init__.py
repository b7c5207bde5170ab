"""blocksim from Python.

The generated schema modules live here: ``blocksim.scenario_pb2`` (scenarios, device profiles),
``blocksim.trace_pb2`` (trace header and records), ``blocksim.reference_device_pb2`` and
``blocksim.options_pb2``. The analysis package ``blocksim_analysis`` reads traces with them.
"""
