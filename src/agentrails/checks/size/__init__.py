"""The size family (AR101, AR102): file and function line caps."""
