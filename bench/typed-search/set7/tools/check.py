"""Checks this set's gold (the checker is shared by the sets: ../../settools/check.py;
--show qNN lists a query's gold mentions in context)."""
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "settools"))
from check import check

if __name__ == "__main__":
    sys.exit(check(os.path.dirname(HERE), min_sure=6))
