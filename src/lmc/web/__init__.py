"""lmc.web"""
