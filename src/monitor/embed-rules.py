#!/usr/bin/env python3
"""Write a C file holding a text file as one string (the default rules).

Usage: embed-rules.py INPUT OUTPUT SYMBOL
"""
import sys

src, dst, sym = sys.argv[1:4]
data = open(src, "rb").read()
with open(dst, "w") as out:
    out.write("/* Generated from %s by embed-rules.py: do not edit. */\n" % src.split("/")[-1])
    out.write('#include "monitor/monitor.h"\n\n')
    out.write("const char %s[] =\n" % sym)
    line = '    "'
    for b in data:
        if b == 0x0A:
            out.write(line + '\\n"\n')
            line = '    "'
            continue
        if b in (0x22, 0x5C):
            line += "\\" + chr(b)
        elif 0x20 <= b < 0x7F:
            line += chr(b)
        else:
            line += "\\%03o" % b
    out.write(line + '";\n')
