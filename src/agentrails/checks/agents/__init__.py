"""The agents family (AR701-AR704): settings, definitions, lanes and seams."""
