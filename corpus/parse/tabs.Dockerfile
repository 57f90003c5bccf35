FROM debian
	RUN	echo	tabbed \
		&& echo more
