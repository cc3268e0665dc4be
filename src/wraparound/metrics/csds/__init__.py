"""Community Services Data Set (CSDS) style extracts: the tables, their columns, the export.

``schema`` says what each table's columns may hold and checks rows column by column;
``export`` builds one table's rows for a provider and a period from the operational
tables, pseudonymised, and writes them as CSV only when every row passes.
"""
