FROM debian
RUN <<-EOF
	echo tabbed
	EOF
