FROM node:20
﻿WORéKDIR /app
COPY . .
workdiß /x
CMD node index.js
