FROM debian
COPY <<A <<B /dest/
file a
A
file b
B
