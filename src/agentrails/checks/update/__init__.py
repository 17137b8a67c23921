"""The update family (AR901, AR902): what a ``copier update`` leaves behind."""
