FROM debian
RUN <<'EOF'
echo $HOME
EOF
RUN <<"END"
echo $PATH
END
