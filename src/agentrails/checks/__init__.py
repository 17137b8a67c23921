"""Rule families, one subpackage each, found through the ``agentrails.families`` entry
points; they import the rule protocol from ``agentrails.engine``, never the reverse."""
