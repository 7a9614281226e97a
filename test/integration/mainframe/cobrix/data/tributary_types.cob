      * Written for the Tributary parity suite (not from Cobrix): Cobrix's type
      * extensions and DISPLAY numbers with blanks and explicit points.
       01  R.
           05  PK-NOSIGN    PIC 9(5) COMP-3U.
           05  BIN-LE       PIC 9(4) COMP-9.
           05  BIN-LE-S     PIC S9(2) COMP-9.
           05  AMT-POINT    PIC 9(8).9(2).
           05  AMT-ZONED    PIC 9(8)V99.
           05  NAME         PIC X(6).
