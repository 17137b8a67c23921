"""The engine family (AR001, AR002): files that do not parse or could not be analysed."""
