"""lmc.reports"""
