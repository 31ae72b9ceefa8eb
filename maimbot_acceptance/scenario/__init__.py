"""One scenario's world, cut into parts that each keep their own memory.

``world`` composes the parts (roster, connections, conversation, said while down,
delivery, attempts, network, server control, crowds, canaries); steps reach it through
``world.StepContext`` and call its parts by name.
``gherkin`` registers the parameter types the step phrasings use.

May import: ``errors``, ``wire``, ``judging``, ``targets``, and ``server`` (to stop and
restart the embedded server, and for the reference agents' exact texts); steps then
need no server code of their own.
"""
