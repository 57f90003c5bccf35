FROM python:3.11
RUN python3 <<EOF
print('hi')
EOF
RUN <<EOF bash
echo hi
EOF
