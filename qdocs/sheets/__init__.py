"""Score sheets: the scheme → one .xlsx per region (and per verifying department) and back.

Out: `out.py` (region sheets) and `department.py` (verification sheets) lay out the
scheme through `layout.py`; every method's input cells come from one table in
`inputs.py`. In: `read.py` checks every cell and says where it is wrong
(`420500.xlsx!考核表!E12: …`); `apply.py` turns what was read into assessments and
writes them with `yamlwrite.py` only when nothing is wrong. `status.py` says how
far the collection has come.
"""
