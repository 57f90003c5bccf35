FROM alpine
# BuildKit reads a here-document word through Go's text/scanner, which skips a byte order
# mark at the start: <<﻿X ends at X, <<﻿'' is no here-document
RUN cat <<﻿X
X
RUN cat <<-﻿﻿Y
	﻿Y
RUN cat <<﻿''
COPY <<﻿Z /z
Z
