"""The report layer: the work report's figures (`indicators`) and the HTML report.

It reads every domain through the functions the domains use for their own figures;
no domain imports it.
"""
