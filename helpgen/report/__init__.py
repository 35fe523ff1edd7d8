"""`helpgen report`: what customers searched and did not find, which articles failed them and
how many tickets the help center deflected, from the collector's database (data.py) as
report.json and a static page with charts (page.py)."""
