FROM alpine AS s0
RUN apk add --no-cache bash
FROM alpine AS s1
RUN apk add --no-cache bash
FROM alpine AS s2
RUN apk add --no-cache bash
FROM alpine AS s3
RUN apk add --no-cache bash
FROM alpine AS s4
RUN apk add --no-cache bash
FROM alpine AS s5
RUN apk add --no-cache bash
FROM alpine AS s6
RUN apk add --no-cache bash
FROM alpine AS s7
RUN apk add --no-cache bash
FROM alpine AS s8
RUN apk add --no-cache bash
FROM alpine AS s9
RUN apk add --no-cache bash
FROM alpine AS s10
RUN apk add --no-cache bash
FROM alpine AS s11
RUN apk add --no-cache bash
FROM alpine AS s12
RUN apk add --no-cache bash
FROM alpine AS s13
RUN apk add --no-cache bash
FROM alpine AS s14
RUN apk add --no-cache bash
FROM alpine AS s15
RUN apk add --no-cache bash
FROM alpine AS s16
RUN apk add --no-cache bash
FROM alpine AS s17
RUN apk add --no-cache bash
FROM alpine AS s18
RUN apk add --no-cache bash
FROM alpine AS s19
RUN apk add --no-cache bash
FROM alpine AS s20
RUN apk add --no-cache bash
FROM alpine AS s21
RUN apk add --no-cache bash
FROM alpine AS s22
RUN apk add --no-cache bash
FROM alpine AS s23
RUN apk add --no-cache bash
FROM alpine AS s24
RUN apk add --no-cache bash
FROM alpine AS s25
RUN apk add --no-cache bash
FROM alpine AS s26
RUN apk add --no-cache bash
FROM alpine AS s27
RUN apk add --no-cache bash
FROM alpine AS s28
RUN apk add --no-cache bash
FROM alpine AS s29
RUN apk add --no-cache bash
FROM alpine AS s30
RUN apk add --no-cache bash
FROM alpine AS s31
RUN apk add --no-cache bash
FROM alpine AS s32
RUN apk add --no-cache bash
FROM alpine AS s33
RUN apk add --no-cache bash
FROM alpine AS s34
RUN apk add --no-cache bash
FROM alpine AS s35
RUN apk add --no-cache bash
FROM alpine AS s36
RUN apk add --no-cache bash
FROM alpine AS s37
RUN apk add --no-cache bash
FROM alpine AS s38
RUN apk add --no-cache bash
FROM alpine AS s39
RUN apk add --no-cache bash
FROM alpine AS s40
RUN apk add --no-cache bash
FROM alpine AS s41
RUN apk add --no-cache bash
FROM alpine AS s42
RUN apk add --no-cache bash
FROM alpine AS s43
RUN apk add --no-cache bash
FROM alpine AS s44
RUN apk add --no-cache bash
FROM alpine AS s45
RUN apk add --no-cache bash
FROM alpine AS s46
RUN apk add --no-cache bash
FROM alpine AS s47
RUN apk add --no-cache bash
FROM alpine AS s48
RUN apk add --no-cache bash
FROM alpine AS s49
RUN apk add --no-cache bash
FROM alpine AS s50
RUN apk add --no-cache bash
FROM alpine AS s51
RUN apk add --no-cache bash
FROM alpine AS s52
RUN apk add --no-cache bash
FROM alpine AS s53
RUN apk add --no-cache bash
FROM alpine AS s54
RUN apk add --no-cache bash
FROM alpine AS s55
RUN apk add --no-cache bash
FROM alpine AS s56
RUN apk add --no-cache bash
FROM alpine AS s57
RUN apk add --no-cache bash
FROM alpine AS s58
RUN apk add --no-cache bash
FROM alpine AS s59
RUN apk add --no-cache bash
FROM alpine AS s60
RUN apk add --no-cache bash
FROM alpine AS s61
RUN apk add --no-cache bash
FROM alpine AS s62
RUN apk add --no-cache bash
FROM alpine AS s63
RUN apk add --no-cache bash
FROM alpine AS s64
RUN apk add --no-cache bash
FROM alpine AS s65
RUN apk add --no-cache bash
FROM alpine AS s66
RUN apk add --no-cache bash
FROM alpine AS s67
RUN apk add --no-cache bash
FROM alpine AS s68
RUN apk add --no-cache bash
FROM alpine AS s69
RUN apk add --no-cache bash
FROM alpine AS s70
RUN apk add --no-cache bash
FROM alpine AS s71
RUN apk add --no-cache bash
FROM alpine AS s72
RUN apk add --no-cache bash
FROM alpine AS s73
RUN apk add --no-cache bash
FROM alpine AS s74
RUN apk add --no-cache bash
FROM alpine AS s75
RUN apk add --no-cache bash
FROM alpine AS s76
RUN apk add --no-cache bash
FROM alpine AS s77
RUN apk add --no-cache bash
FROM alpine AS s78
RUN apk add --no-cache bash
FROM alpine AS s79
RUN apk add --no-cache bash
FROM alpine AS s80
RUN apk add --no-cache bash
FROM alpine AS s81
RUN apk add --no-cache bash
FROM alpine AS s82
RUN apk add --no-cache bash
FROM alpine AS s83
RUN apk add --no-cache bash
FROM alpine AS s84
RUN apk add --no-cache bash
FROM alpine AS s85
RUN apk add --no-cache bash
FROM alpine AS s86
RUN apk add --no-cache bash
FROM alpine AS s87
RUN apk add --no-cache bash
FROM alpine AS s88
RUN apk add --no-cache bash
FROM alpine AS s89
RUN apk add --no-cache bash
FROM alpine AS s90
RUN apk add --no-cache bash
FROM alpine AS s91
RUN apk add --no-cache bash
FROM alpine AS s92
RUN apk add --no-cache bash
FROM alpine AS s93
RUN apk add --no-cache bash
FROM alpine AS s94
RUN apk add --no-cache bash
FROM alpine AS s95
RUN apk add --no-cache bash
FROM alpine AS s96
RUN apk add --no-cache bash
FROM alpine AS s97
RUN apk add --no-cache bash
FROM alpine AS s98
RUN apk add --no-cache bash
FROM alpine AS s99
RUN apk add --no-cache bash
FROM alpine AS s100
RUN apk add --no-cache bash
FROM alpine AS s101
RUN apk add --no-cache bash
FROM alpine AS s102
RUN apk add --no-cache bash
FROM alpine AS s103
RUN apk add --no-cache bash
FROM alpine AS s104
RUN apk add --no-cache bash
FROM alpine AS s105
RUN apk add --no-cache bash
FROM alpine AS s106
RUN apk add --no-cache bash
FROM alpine AS s107
RUN apk add --no-cache bash
FROM alpine AS s108
RUN apk add --no-cache bash
FROM alpine AS s109
RUN apk add --no-cache bash
FROM alpine AS s110
RUN apk add --no-cache bash
FROM alpine AS s111
RUN apk add --no-cache bash
FROM alpine AS s112
RUN apk add --no-cache bash
FROM alpine AS s113
RUN apk add --no-cache bash
FROM alpine AS s114
RUN apk add --no-cache bash
FROM alpine AS s115
RUN apk add --no-cache bash
FROM alpine AS s116
RUN apk add --no-cache bash
FROM alpine AS s117
RUN apk add --no-cache bash
FROM alpine AS s118
RUN apk add --no-cache bash
FROM alpine AS s119
RUN apk add --no-cache bash
FROM alpine AS s120
RUN apk add --no-cache bash
FROM alpine AS s121
RUN apk add --no-cache bash
FROM alpine AS s122
RUN apk add --no-cache bash
FROM alpine AS s123
RUN apk add --no-cache bash
FROM alpine AS s124
RUN apk add --no-cache bash
FROM alpine AS s125
RUN apk add --no-cache bash
FROM alpine AS s126
RUN apk add --no-cache bash
FROM alpine AS s127
RUN apk add --no-cache bash
FROM alpine AS s128
RUN apk add --no-cache bash
FROM alpine AS s129
RUN apk add --no-cache bash
FROM alpine AS s130
RUN apk add --no-cache bash
FROM alpine AS s131
RUN apk add --no-cache bash
FROM alpine AS s132
RUN apk add --no-cache bash
FROM alpine AS s133
RUN apk add --no-cache bash
FROM alpine AS s134
RUN apk add --no-cache bash
FROM alpine AS s135
RUN apk add --no-cache bash
FROM alpine AS s136
RUN apk add --no-cache bash
FROM alpine AS s137
RUN apk add --no-cache bash
FROM alpine AS s138
RUN apk add --no-cache bash
FROM alpine AS s139
RUN apk add --no-cache bash
FROM alpine AS s140
RUN apk add --no-cache bash
FROM alpine AS s141
RUN apk add --no-cache bash
FROM alpine AS s142
RUN apk add --no-cache bash
FROM alpine AS s143
RUN apk add --no-cache bash
FROM alpine AS s144
RUN apk add --no-cache bash
FROM alpine AS s145
RUN apk add --no-cache bash
FROM alpine AS s146
RUN apk add --no-cache bash
FROM alpine AS s147
RUN apk add --no-cache bash
FROM alpine AS s148
RUN apk add --no-cache bash
FROM alpine AS s149
RUN apk add --no-cache bash
FROM alpine AS s150
RUN apk add --no-cache bash
FROM alpine AS s151
RUN apk add --no-cache bash
FROM alpine AS s152
RUN apk add --no-cache bash
FROM alpine AS s153
RUN apk add --no-cache bash
FROM alpine AS s154
RUN apk add --no-cache bash
FROM alpine AS s155
RUN apk add --no-cache bash
FROM alpine AS s156
RUN apk add --no-cache bash
FROM alpine AS s157
RUN apk add --no-cache bash
FROM alpine AS s158
RUN apk add --no-cache bash
FROM alpine AS s159
RUN apk add --no-cache bash
FROM alpine AS s160
RUN apk add --no-cache bash
FROM alpine AS s161
RUN apk add --no-cache bash
FROM alpine AS s162
RUN apk add --no-cache bash
FROM alpine AS s163
RUN apk add --no-cache bash
FROM alpine AS s164
RUN apk add --no-cache bash
FROM alpine AS s165
RUN apk add --no-cache bash
FROM alpine AS s166
RUN apk add --no-cache bash
FROM alpine AS s167
RUN apk add --no-cache bash
FROM alpine AS s168
RUN apk add --no-cache bash
FROM alpine AS s169
RUN apk add --no-cache bash
FROM alpine AS s170
RUN apk add --no-cache bash
FROM alpine AS s171
RUN apk add --no-cache bash
FROM alpine AS s172
RUN apk add --no-cache bash
FROM alpine AS s173
RUN apk add --no-cache bash
FROM alpine AS s174
RUN apk add --no-cache bash
FROM alpine AS s175
RUN apk add --no-cache bash
FROM alpine AS s176
RUN apk add --no-cache bash
FROM alpine AS s177
RUN apk add --no-cache bash
FROM alpine AS s178
RUN apk add --no-cache bash
FROM alpine AS s179
RUN apk add --no-cache bash
FROM alpine AS s180
RUN apk add --no-cache bash
FROM alpine AS s181
RUN apk add --no-cache bash
FROM alpine AS s182
RUN apk add --no-cache bash
FROM alpine AS s183
RUN apk add --no-cache bash
FROM alpine AS s184
RUN apk add --no-cache bash
FROM alpine AS s185
RUN apk add --no-cache bash
FROM alpine AS s186
RUN apk add --no-cache bash
FROM alpine AS s187
RUN apk add --no-cache bash
FROM alpine AS s188
RUN apk add --no-cache bash
FROM alpine AS s189
RUN apk add --no-cache bash
FROM alpine AS s190
RUN apk add --no-cache bash
FROM alpine AS s191
RUN apk add --no-cache bash
FROM alpine AS s192
RUN apk add --no-cache bash
FROM alpine AS s193
RUN apk add --no-cache bash
FROM alpine AS s194
RUN apk add --no-cache bash
FROM alpine AS s195
RUN apk add --no-cache bash
FROM alpine AS s196
RUN apk add --no-cache bash
FROM alpine AS s197
RUN apk add --no-cache bash
FROM alpine AS s198
RUN apk add --no-cache bash
FROM alpine AS s199
RUN apk add --no-cache bash
FROM alpine AS s200
RUN apk add --no-cache bash
FROM alpine AS s201
RUN apk add --no-cache bash
FROM alpine AS s202
RUN apk add --no-cache bash
FROM alpine AS s203
RUN apk add --no-cache bash
FROM alpine AS s204
RUN apk add --no-cache bash
FROM alpine AS s205
RUN apk add --no-cache bash
FROM alpine AS s206
RUN apk add --no-cache bash
FROM alpine AS s207
RUN apk add --no-cache bash
FROM alpine AS s208
RUN apk add --no-cache bash
FROM alpine AS s209
RUN apk add --no-cache bash
FROM alpine AS s210
RUN apk add --no-cache bash
FROM alpine AS s211
RUN apk add --no-cache bash
FROM alpine AS s212
RUN apk add --no-cache bash
FROM alpine AS s213
RUN apk add --no-cache bash
FROM alpine AS s214
RUN apk add --no-cache bash
FROM alpine AS s215
RUN apk add --no-cache bash
FROM alpine AS s216
RUN apk add --no-cache bash
FROM alpine AS s217
RUN apk add --no-cache bash
FROM alpine AS s218
RUN apk add --no-cache bash
FROM alpine AS s219
RUN apk add --no-cache bash
FROM alpine AS s220
RUN apk add --no-cache bash
FROM alpine AS s221
RUN apk add --no-cache bash
FROM alpine AS s222
RUN apk add --no-cache bash
FROM alpine AS s223
RUN apk add --no-cache bash
FROM alpine AS s224
RUN apk add --no-cache bash
FROM alpine AS s225
RUN apk add --no-cache bash
FROM alpine AS s226
RUN apk add --no-cache bash
FROM alpine AS s227
RUN apk add --no-cache bash
FROM alpine AS s228
RUN apk add --no-cache bash
FROM alpine AS s229
RUN apk add --no-cache bash
FROM alpine AS s230
RUN apk add --no-cache bash
FROM alpine AS s231
RUN apk add --no-cache bash
FROM alpine AS s232
RUN apk add --no-cache bash
FROM alpine AS s233
RUN apk add --no-cache bash
FROM alpine AS s234
RUN apk add --no-cache bash
FROM alpine AS s235
RUN apk add --no-cache bash
FROM alpine AS s236
RUN apk add --no-cache bash
FROM alpine AS s237
RUN apk add --no-cache bash
FROM alpine AS s238
RUN apk add --no-cache bash
FROM alpine AS s239
RUN apk add --no-cache bash
FROM alpine AS s240
RUN apk add --no-cache bash
FROM alpine AS s241
RUN apk add --no-cache bash
FROM alpine AS s242
RUN apk add --no-cache bash
FROM alpine AS s243
RUN apk add --no-cache bash
FROM alpine AS s244
RUN apk add --no-cache bash
FROM alpine AS s245
RUN apk add --no-cache bash
FROM alpine AS s246
RUN apk add --no-cache bash
FROM alpine AS s247
RUN apk add --no-cache bash
FROM alpine AS s248
RUN apk add --no-cache bash
FROM alpine AS s249
RUN apk add --no-cache bash
FROM alpine AS s250
RUN apk add --no-cache bash
FROM alpine AS s251
RUN apk add --no-cache bash
FROM alpine AS s252
RUN apk add --no-cache bash
FROM alpine AS s253
RUN apk add --no-cache bash
FROM alpine AS s254
RUN apk add --no-cache bash
FROM alpine AS s255
RUN apk add --no-cache bash
FROM alpine AS s256
RUN apk add --no-cache bash
FROM alpine AS s257
RUN apk add --no-cache bash
FROM alpine AS s258
RUN apk add --no-cache bash
FROM alpine AS s259
RUN apk add --no-cache bash
FROM alpine AS s260
RUN apk add --no-cache bash
FROM alpine AS s261
RUN apk add --no-cache bash
FROM alpine AS s262
RUN apk add --no-cache bash
FROM alpine AS s263
RUN apk add --no-cache bash
FROM alpine AS s264
RUN apk add --no-cache bash
FROM alpine AS s265
RUN apk add --no-cache bash
FROM alpine AS s266
RUN apk add --no-cache bash
FROM alpine AS s267
RUN apk add --no-cache bash
FROM alpine AS s268
RUN apk add --no-cache bash
FROM alpine AS s269
RUN apk add --no-cache bash
FROM alpine AS s270
RUN apk add --no-cache bash
FROM alpine AS s271
RUN apk add --no-cache bash
FROM alpine AS s272
RUN apk add --no-cache bash
FROM alpine AS s273
RUN apk add --no-cache bash
FROM alpine AS s274
RUN apk add --no-cache bash
FROM alpine AS s275
RUN apk add --no-cache bash
FROM alpine AS s276
RUN apk add --no-cache bash
FROM alpine AS s277
RUN apk add --no-cache bash
FROM alpine AS s278
RUN apk add --no-cache bash
FROM alpine AS s279
RUN apk add --no-cache bash
FROM alpine AS s280
RUN apk add --no-cache bash
FROM alpine AS s281
RUN apk add --no-cache bash
FROM alpine AS s282
RUN apk add --no-cache bash
FROM alpine AS s283
RUN apk add --no-cache bash
FROM alpine AS s284
RUN apk add --no-cache bash
FROM alpine AS s285
RUN apk add --no-cache bash
FROM alpine AS s286
RUN apk add --no-cache bash
FROM alpine AS s287
RUN apk add --no-cache bash
FROM alpine AS s288
RUN apk add --no-cache bash
FROM alpine AS s289
RUN apk add --no-cache bash
FROM alpine AS s290
RUN apk add --no-cache bash
FROM alpine AS s291
RUN apk add --no-cache bash
FROM alpine AS s292
RUN apk add --no-cache bash
FROM alpine AS s293
RUN apk add --no-cache bash
FROM alpine AS s294
RUN apk add --no-cache bash
FROM alpine AS s295
RUN apk add --no-cache bash
FROM alpine AS s296
RUN apk add --no-cache bash
FROM alpine AS s297
RUN apk add --no-cache bash
FROM alpine AS s298
RUN apk add --no-cache bash
FROM alpine AS s299
RUN apk add --no-cache bash
FROM alpine AS s300
RUN apk add --no-cache bash
FROM alpine AS s301
RUN apk add --no-cache bash
FROM alpine AS s302
RUN apk add --no-cache bash
FROM alpine AS s303
RUN apk add --no-cache bash
FROM alpine AS s304
RUN apk add --no-cache bash
FROM alpine AS s305
RUN apk add --no-cache bash
FROM alpine AS s306
RUN apk add --no-cache bash
FROM alpine AS s307
RUN apk add --no-cache bash
FROM alpine AS s308
RUN apk add --no-cache bash
FROM alpine AS s309
RUN apk add --no-cache bash
FROM alpine AS s310
RUN apk add --no-cache bash
FROM alpine AS s311
RUN apk add --no-cache bash
FROM alpine AS s312
RUN apk add --no-cache bash
FROM alpine AS s313
RUN apk add --no-cache bash
FROM alpine AS s314
RUN apk add --no-cache bash
FROM alpine AS s315
RUN apk add --no-cache bash
FROM alpine AS s316
RUN apk add --no-cache bash
FROM alpine AS s317
RUN apk add --no-cache bash
FROM alpine AS s318
RUN apk add --no-cache bash
FROM alpine AS s319
RUN apk add --no-cache bash
FROM alpine AS s320
RUN apk add --no-cache bash
FROM alpine AS s321
RUN apk add --no-cache bash
FROM alpine AS s322
RUN apk add --no-cache bash
FROM alpine AS s323
RUN apk add --no-cache bash
FROM alpine AS s324
RUN apk add --no-cache bash
FROM alpine AS s325
RUN apk add --no-cache bash
FROM alpine AS s326
RUN apk add --no-cache bash
FROM alpine AS s327
RUN apk add --no-cache bash
FROM alpine AS s328
RUN apk add --no-cache bash
FROM alpine AS s329
RUN apk add --no-cache bash
FROM alpine AS s330
RUN apk add --no-cache bash
FROM alpine AS s331
RUN apk add --no-cache bash
FROM alpine AS s332
RUN apk add --no-cache bash
FROM alpine AS s333
RUN apk add --no-cache bash
FROM alpine AS s334
RUN apk add --no-cache bash
FROM alpine AS s335
RUN apk add --no-cache bash
FROM alpine AS s336
RUN apk add --no-cache bash
FROM alpine AS s337
RUN apk add --no-cache bash
FROM alpine AS s338
RUN apk add --no-cache bash
FROM alpine AS s339
RUN apk add --no-cache bash
FROM alpine AS s340
RUN apk add --no-cache bash
FROM alpine AS s341
RUN apk add --no-cache bash
FROM alpine AS s342
RUN apk add --no-cache bash
FROM alpine AS s343
RUN apk add --no-cache bash
FROM alpine AS s344
RUN apk add --no-cache bash
FROM alpine AS s345
RUN apk add --no-cache bash
FROM alpine AS s346
RUN apk add --no-cache bash
FROM alpine AS s347
RUN apk add --no-cache bash
FROM alpine AS s348
RUN apk add --no-cache bash
FROM alpine AS s349
RUN apk add --no-cache bash
FROM alpine AS s350
RUN apk add --no-cache bash
FROM alpine AS s351
RUN apk add --no-cache bash
FROM alpine AS s352
RUN apk add --no-cache bash
FROM alpine AS s353
RUN apk add --no-cache bash
FROM alpine AS s354
RUN apk add --no-cache bash
FROM alpine AS s355
RUN apk add --no-cache bash
FROM alpine AS s356
RUN apk add --no-cache bash
FROM alpine AS s357
RUN apk add --no-cache bash
FROM alpine AS s358
RUN apk add --no-cache bash
FROM alpine AS s359
RUN apk add --no-cache bash
FROM alpine AS s360
RUN apk add --no-cache bash
FROM alpine AS s361
RUN apk add --no-cache bash
FROM alpine AS s362
RUN apk add --no-cache bash
FROM alpine AS s363
RUN apk add --no-cache bash
FROM alpine AS s364
RUN apk add --no-cache bash
FROM alpine AS s365
RUN apk add --no-cache bash
FROM alpine AS s366
RUN apk add --no-cache bash
FROM alpine AS s367
RUN apk add --no-cache bash
FROM alpine AS s368
RUN apk add --no-cache bash
FROM alpine AS s369
RUN apk add --no-cache bash
FROM alpine AS s370
RUN apk add --no-cache bash
FROM alpine AS s371
RUN apk add --no-cache bash
FROM alpine AS s372
RUN apk add --no-cache bash
FROM alpine AS s373
RUN apk add --no-cache bash
FROM alpine AS s374
RUN apk add --no-cache bash
FROM alpine AS s375
RUN apk add --no-cache bash
FROM alpine AS s376
RUN apk add --no-cache bash
FROM alpine AS s377
RUN apk add --no-cache bash
FROM alpine AS s378
RUN apk add --no-cache bash
FROM alpine AS s379
RUN apk add --no-cache bash
FROM alpine AS s380
RUN apk add --no-cache bash
FROM alpine AS s381
RUN apk add --no-cache bash
FROM alpine AS s382
RUN apk add --no-cache bash
FROM alpine AS s383
RUN apk add --no-cache bash
FROM alpine AS s384
RUN apk add --no-cache bash
FROM alpine AS s385
RUN apk add --no-cache bash
FROM alpine AS s386
RUN apk add --no-cache bash
FROM alpine AS s387
RUN apk add --no-cache bash
FROM alpine AS s388
RUN apk add --no-cache bash
FROM alpine AS s389
RUN apk add --no-cache bash
FROM alpine AS s390
RUN apk add --no-cache bash
FROM alpine AS s391
RUN apk add --no-cache bash
FROM alpine AS s392
RUN apk add --no-cache bash
FROM alpine AS s393
RUN apk add --no-cache bash
FROM alpine AS s394
RUN apk add --no-cache bash
FROM alpine AS s395
RUN apk add --no-cache bash
FROM alpine AS s396
RUN apk add --no-cache bash
FROM alpine AS s397
RUN apk add --no-cache bash
FROM alpine AS s398
RUN apk add --no-cache bash
FROM alpine AS s399
RUN apk add --no-cache bash
FROM alpine AS s400
RUN apk add --no-cache bash
FROM alpine AS s401
RUN apk add --no-cache bash
FROM alpine AS s402
RUN apk add --no-cache bash
FROM alpine AS s403
RUN apk add --no-cache bash
FROM alpine AS s404
RUN apk add --no-cache bash
FROM alpine AS s405
RUN apk add --no-cache bash
FROM alpine AS s406
RUN apk add --no-cache bash
FROM alpine AS s407
RUN apk add --no-cache bash
FROM alpine AS s408
RUN apk add --no-cache bash
FROM alpine AS s409
RUN apk add --no-cache bash
FROM alpine AS s410
RUN apk add --no-cache bash
FROM alpine AS s411
RUN apk add --no-cache bash
FROM alpine AS s412
RUN apk add --no-cache bash
FROM alpine AS s413
RUN apk add --no-cache bash
FROM alpine AS s414
RUN apk add --no-cache bash
FROM alpine AS s415
RUN apk add --no-cache bash
FROM alpine AS s416
RUN apk add --no-cache bash
FROM alpine AS s417
RUN apk add --no-cache bash
FROM alpine AS s418
RUN apk add --no-cache bash
FROM alpine AS s419
RUN apk add --no-cache bash
FROM alpine AS s420
RUN apk add --no-cache bash
FROM alpine AS s421
RUN apk add --no-cache bash
FROM alpine AS s422
RUN apk add --no-cache bash
FROM alpine AS s423
RUN apk add --no-cache bash
FROM alpine AS s424
RUN apk add --no-cache bash
FROM alpine AS s425
RUN apk add --no-cache bash
FROM alpine AS s426
RUN apk add --no-cache bash
FROM alpine AS s427
RUN apk add --no-cache bash
FROM alpine AS s428
RUN apk add --no-cache bash
FROM alpine AS s429
RUN apk add --no-cache bash
FROM alpine AS s430
RUN apk add --no-cache bash
FROM alpine AS s431
RUN apk add --no-cache bash
FROM alpine AS s432
RUN apk add --no-cache bash
FROM alpine AS s433
RUN apk add --no-cache bash
FROM alpine AS s434
RUN apk add --no-cache bash
FROM alpine AS s435
RUN apk add --no-cache bash
FROM alpine AS s436
RUN apk add --no-cache bash
FROM alpine AS s437
RUN apk add --no-cache bash
FROM alpine AS s438
RUN apk add --no-cache bash
FROM alpine AS s439
RUN apk add --no-cache bash
FROM alpine AS s440
RUN apk add --no-cache bash
FROM alpine AS s441
RUN apk add --no-cache bash
FROM alpine AS s442
RUN apk add --no-cache bash
FROM alpine AS s443
RUN apk add --no-cache bash
FROM alpine AS s444
RUN apk add --no-cache bash
FROM alpine AS s445
RUN apk add --no-cache bash
FROM alpine AS s446
RUN apk add --no-cache bash
FROM alpine AS s447
RUN apk add --no-cache bash
FROM alpine AS s448
RUN apk add --no-cache bash
FROM alpine AS s449
RUN apk add --no-cache bash
FROM alpine AS s450
RUN apk add --no-cache bash
FROM alpine AS s451
RUN apk add --no-cache bash
FROM alpine AS s452
RUN apk add --no-cache bash
FROM alpine AS s453
RUN apk add --no-cache bash
FROM alpine AS s454
RUN apk add --no-cache bash
FROM alpine AS s455
RUN apk add --no-cache bash
FROM alpine AS s456
RUN apk add --no-cache bash
FROM alpine AS s457
RUN apk add --no-cache bash
FROM alpine AS s458
RUN apk add --no-cache bash
FROM alpine AS s459
RUN apk add --no-cache bash
FROM alpine AS s460
RUN apk add --no-cache bash
FROM alpine AS s461
RUN apk add --no-cache bash
FROM alpine AS s462
RUN apk add --no-cache bash
FROM alpine AS s463
RUN apk add --no-cache bash
FROM alpine AS s464
RUN apk add --no-cache bash
FROM alpine AS s465
RUN apk add --no-cache bash
FROM alpine AS s466
RUN apk add --no-cache bash
FROM alpine AS s467
RUN apk add --no-cache bash
FROM alpine AS s468
RUN apk add --no-cache bash
FROM alpine AS s469
RUN apk add --no-cache bash
FROM alpine AS s470
RUN apk add --no-cache bash
FROM alpine AS s471
RUN apk add --no-cache bash
FROM alpine AS s472
RUN apk add --no-cache bash
FROM alpine AS s473
RUN apk add --no-cache bash
FROM alpine AS s474
RUN apk add --no-cache bash
FROM alpine AS s475
RUN apk add --no-cache bash
FROM alpine AS s476
RUN apk add --no-cache bash
FROM alpine AS s477
RUN apk add --no-cache bash
FROM alpine AS s478
RUN apk add --no-cache bash
FROM alpine AS s479
RUN apk add --no-cache bash
FROM alpine AS s480
RUN apk add --no-cache bash
FROM alpine AS s481
RUN apk add --no-cache bash
FROM alpine AS s482
RUN apk add --no-cache bash
FROM alpine AS s483
RUN apk add --no-cache bash
FROM alpine AS s484
RUN apk add --no-cache bash
FROM alpine AS s485
RUN apk add --no-cache bash
FROM alpine AS s486
RUN apk add --no-cache bash
FROM alpine AS s487
RUN apk add --no-cache bash
FROM alpine AS s488
RUN apk add --no-cache bash
FROM alpine AS s489
RUN apk add --no-cache bash
FROM alpine AS s490
RUN apk add --no-cache bash
FROM alpine AS s491
RUN apk add --no-cache bash
FROM alpine AS s492
RUN apk add --no-cache bash
FROM alpine AS s493
RUN apk add --no-cache bash
FROM alpine AS s494
RUN apk add --no-cache bash
FROM alpine AS s495
RUN apk add --no-cache bash
FROM alpine AS s496
RUN apk add --no-cache bash
FROM alpine AS s497
RUN apk add --no-cache bash
FROM alpine AS s498
RUN apk add --no-cache bash
FROM alpine AS s499
RUN apk add --no-cache bash
FROM alpine AS s500
RUN apk add --no-cache bash
FROM alpine AS s501
RUN apk add --no-cache bash
FROM alpine AS s502
RUN apk add --no-cache bash
FROM alpine AS s503
RUN apk add --no-cache bash
FROM alpine AS s504
RUN apk add --no-cache bash
FROM alpine AS s505
RUN apk add --no-cache bash
FROM alpine AS s506
RUN apk add --no-cache bash
FROM alpine AS s507
RUN apk add --no-cache bash
FROM alpine AS s508
RUN apk add --no-cache bash
FROM alpine AS s509
RUN apk add --no-cache bash
FROM alpine AS s510
RUN apk add --no-cache bash
FROM alpine AS s511
RUN apk add --no-cache bash
FROM alpine AS s512
RUN apk add --no-cache bash
FROM alpine AS s513
RUN apk add --no-cache bash
FROM alpine AS s514
RUN apk add --no-cache bash
FROM alpine AS s515
RUN apk add --no-cache bash
FROM alpine AS s516
RUN apk add --no-cache bash
FROM alpine AS s517
RUN apk add --no-cache bash
FROM alpine AS s518
RUN apk add --no-cache bash
FROM alpine AS s519
RUN apk add --no-cache bash
FROM alpine AS s520
RUN apk add --no-cache bash
FROM alpine AS s521
RUN apk add --no-cache bash
FROM alpine AS s522
RUN apk add --no-cache bash
FROM alpine AS s523
RUN apk add --no-cache bash
FROM alpine AS s524
RUN apk add --no-cache bash
FROM alpine AS s525
RUN apk add --no-cache bash
FROM alpine AS s526
RUN apk add --no-cache bash
FROM alpine AS s527
RUN apk add --no-cache bash
FROM alpine AS s528
RUN apk add --no-cache bash
FROM alpine AS s529
RUN apk add --no-cache bash
FROM alpine AS s530
RUN apk add --no-cache bash
FROM alpine AS s531
RUN apk add --no-cache bash
FROM alpine AS s532
RUN apk add --no-cache bash
FROM alpine AS s533
RUN apk add --no-cache bash
FROM alpine AS s534
RUN apk add --no-cache bash
FROM alpine AS s535
RUN apk add --no-cache bash
FROM alpine AS s536
RUN apk add --no-cache bash
FROM alpine AS s537
RUN apk add --no-cache bash
FROM alpine AS s538
RUN apk add --no-cache bash
FROM alpine AS s539
RUN apk add --no-cache bash
FROM alpine AS s540
RUN apk add --no-cache bash
FROM alpine AS s541
RUN apk add --no-cache bash
FROM alpine AS s542
RUN apk add --no-cache bash
FROM alpine AS s543
RUN apk add --no-cache bash
FROM alpine AS s544
RUN apk add --no-cache bash
FROM alpine AS s545
RUN apk add --no-cache bash
FROM alpine AS s546
RUN apk add --no-cache bash
FROM alpine AS s547
RUN apk add --no-cache bash
FROM alpine AS s548
RUN apk add --no-cache bash
FROM alpine AS s549
RUN apk add --no-cache bash
FROM alpine AS s550
RUN apk add --no-cache bash
FROM alpine AS s551
RUN apk add --no-cache bash
FROM alpine AS s552
RUN apk add --no-cache bash
FROM alpine AS s553
RUN apk add --no-cache bash
FROM alpine AS s554
RUN apk add --no-cache bash
FROM alpine AS s555
RUN apk add --no-cache bash
FROM alpine AS s556
RUN apk add --no-cache bash
FROM alpine AS s557
RUN apk add --no-cache bash
FROM alpine AS s558
RUN apk add --no-cache bash
FROM alpine AS s559
RUN apk add --no-cache bash
FROM alpine AS s560
RUN apk add --no-cache bash
FROM alpine AS s561
RUN apk add --no-cache bash
FROM alpine AS s562
RUN apk add --no-cache bash
FROM alpine AS s563
RUN apk add --no-cache bash
FROM alpine AS s564
RUN apk add --no-cache bash
FROM alpine AS s565
RUN apk add --no-cache bash
FROM alpine AS s566
RUN apk add --no-cache bash
FROM alpine AS s567
RUN apk add --no-cache bash
FROM alpine AS s568
RUN apk add --no-cache bash
FROM alpine AS s569
RUN apk add --no-cache bash
FROM alpine AS s570
RUN apk add --no-cache bash
FROM alpine AS s571
RUN apk add --no-cache bash
FROM alpine AS s572
RUN apk add --no-cache bash
FROM alpine AS s573
RUN apk add --no-cache bash
FROM alpine AS s574
RUN apk add --no-cache bash
FROM alpine AS s575
RUN apk add --no-cache bash
FROM alpine AS s576
RUN apk add --no-cache bash
FROM alpine AS s577
RUN apk add --no-cache bash
FROM alpine AS s578
RUN apk add --no-cache bash
FROM alpine AS s579
RUN apk add --no-cache bash
FROM alpine AS s580
RUN apk add --no-cache bash
FROM alpine AS s581
RUN apk add --no-cache bash
FROM alpine AS s582
RUN apk add --no-cache bash
FROM alpine AS s583
RUN apk add --no-cache bash
FROM alpine AS s584
RUN apk add --no-cache bash
FROM alpine AS s585
RUN apk add --no-cache bash
FROM alpine AS s586
RUN apk add --no-cache bash
FROM alpine AS s587
RUN apk add --no-cache bash
FROM alpine AS s588
RUN apk add --no-cache bash
FROM alpine AS s589
RUN apk add --no-cache bash
FROM alpine AS s590
RUN apk add --no-cache bash
FROM alpine AS s591
RUN apk add --no-cache bash
FROM alpine AS s592
RUN apk add --no-cache bash
FROM alpine AS s593
RUN apk add --no-cache bash
FROM alpine AS s594
RUN apk add --no-cache bash
FROM alpine AS s595
RUN apk add --no-cache bash
FROM alpine AS s596
RUN apk add --no-cache bash
FROM alpine AS s597
RUN apk add --no-cache bash
FROM alpine AS s598
RUN apk add --no-cache bash
FROM alpine AS s599
RUN apk add --no-cache bash
FROM alpine AS s600
RUN apk add --no-cache bash
FROM alpine AS s601
RUN apk add --no-cache bash
FROM alpine AS s602
RUN apk add --no-cache bash
FROM alpine AS s603
RUN apk add --no-cache bash
FROM alpine AS s604
RUN apk add --no-cache bash
FROM alpine AS s605
RUN apk add --no-cache bash
FROM alpine AS s606
RUN apk add --no-cache bash
FROM alpine AS s607
RUN apk add --no-cache bash
FROM alpine AS s608
RUN apk add --no-cache bash
FROM alpine AS s609
RUN apk add --no-cache bash
FROM alpine AS s610
RUN apk add --no-cache bash
FROM alpine AS s611
RUN apk add --no-cache bash
FROM alpine AS s612
RUN apk add --no-cache bash
FROM alpine AS s613
RUN apk add --no-cache bash
FROM alpine AS s614
RUN apk add --no-cache bash
FROM alpine AS s615
RUN apk add --no-cache bash
FROM alpine AS s616
RUN apk add --no-cache bash
FROM alpine AS s617
RUN apk add --no-cache bash
FROM alpine AS s618
RUN apk add --no-cache bash
FROM alpine AS s619
RUN apk add --no-cache bash
FROM alpine AS s620
RUN apk add --no-cache bash
FROM alpine AS s621
RUN apk add --no-cache bash
FROM alpine AS s622
RUN apk add --no-cache bash
FROM alpine AS s623
RUN apk add --no-cache bash
FROM alpine AS s624
RUN apk add --no-cache bash
FROM alpine AS s625
RUN apk add --no-cache bash
FROM alpine AS s626
RUN apk add --no-cache bash
FROM alpine AS s627
RUN apk add --no-cache bash
FROM alpine AS s628
RUN apk add --no-cache bash
FROM alpine AS s629
RUN apk add --no-cache bash
FROM alpine AS s630
RUN apk add --no-cache bash
FROM alpine AS s631
RUN apk add --no-cache bash
FROM alpine AS s632
RUN apk add --no-cache bash
FROM alpine AS s633
RUN apk add --no-cache bash
FROM alpine AS s634
RUN apk add --no-cache bash
FROM alpine AS s635
RUN apk add --no-cache bash
FROM alpine AS s636
RUN apk add --no-cache bash
FROM alpine AS s637
RUN apk add --no-cache bash
FROM alpine AS s638
RUN apk add --no-cache bash
FROM alpine AS s639
RUN apk add --no-cache bash
FROM alpine AS s640
RUN apk add --no-cache bash
FROM alpine AS s641
RUN apk add --no-cache bash
FROM alpine AS s642
RUN apk add --no-cache bash
FROM alpine AS s643
RUN apk add --no-cache bash
FROM alpine AS s644
RUN apk add --no-cache bash
FROM alpine AS s645
RUN apk add --no-cache bash
FROM alpine AS s646
RUN apk add --no-cache bash
FROM alpine AS s647
RUN apk add --no-cache bash
FROM alpine AS s648
RUN apk add --no-cache bash
FROM alpine AS s649
RUN apk add --no-cache bash
FROM alpine AS s650
RUN apk add --no-cache bash
FROM alpine AS s651
RUN apk add --no-cache bash
FROM alpine AS s652
RUN apk add --no-cache bash
FROM alpine AS s653
RUN apk add --no-cache bash
FROM alpine AS s654
RUN apk add --no-cache bash
FROM alpine AS s655
RUN apk add --no-cache bash
FROM alpine AS s656
RUN apk add --no-cache bash
FROM alpine AS s657
RUN apk add --no-cache bash
FROM alpine AS s658
RUN apk add --no-cache bash
FROM alpine AS s659
RUN apk add --no-cache bash
FROM alpine AS s660
RUN apk add --no-cache bash
FROM alpine AS s661
RUN apk add --no-cache bash
FROM alpine AS s662
RUN apk add --no-cache bash
FROM alpine AS s663
RUN apk add --no-cache bash
FROM alpine AS s664
RUN apk add --no-cache bash
FROM alpine AS s665
RUN apk add --no-cache bash
FROM alpine AS s666
RUN apk add --no-cache bash
FROM alpine AS s667
RUN apk add --no-cache bash
FROM alpine AS s668
RUN apk add --no-cache bash
FROM alpine AS s669
RUN apk add --no-cache bash
FROM alpine AS s670
RUN apk add --no-cache bash
FROM alpine AS s671
RUN apk add --no-cache bash
FROM alpine AS s672
RUN apk add --no-cache bash
FROM alpine AS s673
RUN apk add --no-cache bash
FROM alpine AS s674
RUN apk add --no-cache bash
FROM alpine AS s675
RUN apk add --no-cache bash
FROM alpine AS s676
RUN apk add --no-cache bash
FROM alpine AS s677
RUN apk add --no-cache bash
FROM alpine AS s678
RUN apk add --no-cache bash
FROM alpine AS s679
RUN apk add --no-cache bash
FROM alpine AS s680
RUN apk add --no-cache bash
FROM alpine AS s681
RUN apk add --no-cache bash
FROM alpine AS s682
RUN apk add --no-cache bash
FROM alpine AS s683
RUN apk add --no-cache bash
FROM alpine AS s684
RUN apk add --no-cache bash
FROM alpine AS s685
RUN apk add --no-cache bash
FROM alpine AS s686
RUN apk add --no-cache bash
FROM alpine AS s687
RUN apk add --no-cache bash
FROM alpine AS s688
RUN apk add --no-cache bash
FROM alpine AS s689
RUN apk add --no-cache bash
FROM alpine AS s690
RUN apk add --no-cache bash
FROM alpine AS s691
RUN apk add --no-cache bash
FROM alpine AS s692
RUN apk add --no-cache bash
FROM alpine AS s693
RUN apk add --no-cache bash
FROM alpine AS s694
RUN apk add --no-cache bash
FROM alpine AS s695
RUN apk add --no-cache bash
FROM alpine AS s696
RUN apk add --no-cache bash
FROM alpine AS s697
RUN apk add --no-cache bash
FROM alpine AS s698
RUN apk add --no-cache bash
FROM alpine AS s699
RUN apk add --no-cache bash
FROM alpine AS s700
RUN apk add --no-cache bash
FROM alpine AS s701
RUN apk add --no-cache bash
FROM alpine AS s702
RUN apk add --no-cache bash
FROM alpine AS s703
RUN apk add --no-cache bash
FROM alpine AS s704
RUN apk add --no-cache bash
FROM alpine AS s705
RUN apk add --no-cache bash
FROM alpine AS s706
RUN apk add --no-cache bash
FROM alpine AS s707
RUN apk add --no-cache bash
FROM alpine AS s708
RUN apk add --no-cache bash
FROM alpine AS s709
RUN apk add --no-cache bash
FROM alpine AS s710
RUN apk add --no-cache bash
FROM alpine AS s711
RUN apk add --no-cache bash
FROM alpine AS s712
RUN apk add --no-cache bash
FROM alpine AS s713
RUN apk add --no-cache bash
FROM alpine AS s714
RUN apk add --no-cache bash
FROM alpine AS s715
RUN apk add --no-cache bash
FROM alpine AS s716
RUN apk add --no-cache bash
FROM alpine AS s717
RUN apk add --no-cache bash
FROM alpine AS s718
RUN apk add --no-cache bash
FROM alpine AS s719
RUN apk add --no-cache bash
FROM alpine AS s720
RUN apk add --no-cache bash
FROM alpine AS s721
RUN apk add --no-cache bash
FROM alpine AS s722
RUN apk add --no-cache bash
FROM alpine AS s723
RUN apk add --no-cache bash
FROM alpine AS s724
RUN apk add --no-cache bash
FROM alpine AS s725
RUN apk add --no-cache bash
FROM alpine AS s726
RUN apk add --no-cache bash
FROM alpine AS s727
RUN apk add --no-cache bash
FROM alpine AS s728
RUN apk add --no-cache bash
FROM alpine AS s729
RUN apk add --no-cache bash
FROM alpine AS s730
RUN apk add --no-cache bash
FROM alpine AS s731
RUN apk add --no-cache bash
FROM alpine AS s732
RUN apk add --no-cache bash
FROM alpine AS s733
RUN apk add --no-cache bash
FROM alpine AS s734
RUN apk add --no-cache bash
FROM alpine AS s735
RUN apk add --no-cache bash
FROM alpine AS s736
RUN apk add --no-cache bash
FROM alpine AS s737
RUN apk add --no-cache bash
FROM alpine AS s738
RUN apk add --no-cache bash
FROM alpine AS s739
RUN apk add --no-cache bash
FROM alpine AS s740
RUN apk add --no-cache bash
FROM alpine AS s741
RUN apk add --no-cache bash
FROM alpine AS s742
RUN apk add --no-cache bash
FROM alpine AS s743
RUN apk add --no-cache bash
FROM alpine AS s744
RUN apk add --no-cache bash
FROM alpine AS s745
RUN apk add --no-cache bash
FROM alpine AS s746
RUN apk add --no-cache bash
FROM alpine AS s747
RUN apk add --no-cache bash
FROM alpine AS s748
RUN apk add --no-cache bash
FROM alpine AS s749
RUN apk add --no-cache bash
FROM alpine AS s750
RUN apk add --no-cache bash
FROM alpine AS s751
RUN apk add --no-cache bash
FROM alpine AS s752
RUN apk add --no-cache bash
FROM alpine AS s753
RUN apk add --no-cache bash
FROM alpine AS s754
RUN apk add --no-cache bash
FROM alpine AS s755
RUN apk add --no-cache bash
FROM alpine AS s756
RUN apk add --no-cache bash
FROM alpine AS s757
RUN apk add --no-cache bash
FROM alpine AS s758
RUN apk add --no-cache bash
FROM alpine AS s759
RUN apk add --no-cache bash
FROM alpine AS s760
RUN apk add --no-cache bash
FROM alpine AS s761
RUN apk add --no-cache bash
FROM alpine AS s762
RUN apk add --no-cache bash
FROM alpine AS s763
RUN apk add --no-cache bash
FROM alpine AS s764
RUN apk add --no-cache bash
FROM alpine AS s765
RUN apk add --no-cache bash
FROM alpine AS s766
RUN apk add --no-cache bash
FROM alpine AS s767
RUN apk add --no-cache bash
FROM alpine AS s768
RUN apk add --no-cache bash
FROM alpine AS s769
RUN apk add --no-cache bash
FROM alpine AS s770
RUN apk add --no-cache bash
FROM alpine AS s771
RUN apk add --no-cache bash
FROM alpine AS s772
RUN apk add --no-cache bash
FROM alpine AS s773
RUN apk add --no-cache bash
FROM alpine AS s774
RUN apk add --no-cache bash
FROM alpine AS s775
RUN apk add --no-cache bash
FROM alpine AS s776
RUN apk add --no-cache bash
FROM alpine AS s777
RUN apk add --no-cache bash
FROM alpine AS s778
RUN apk add --no-cache bash
FROM alpine AS s779
RUN apk add --no-cache bash
FROM alpine AS s780
RUN apk add --no-cache bash
FROM alpine AS s781
RUN apk add --no-cache bash
FROM alpine AS s782
RUN apk add --no-cache bash
FROM alpine AS s783
RUN apk add --no-cache bash
FROM alpine AS s784
RUN apk add --no-cache bash
FROM alpine AS s785
RUN apk add --no-cache bash
FROM alpine AS s786
RUN apk add --no-cache bash
FROM alpine AS s787
RUN apk add --no-cache bash
FROM alpine AS s788
RUN apk add --no-cache bash
FROM alpine AS s789
RUN apk add --no-cache bash
FROM alpine AS s790
RUN apk add --no-cache bash
FROM alpine AS s791
RUN apk add --no-cache bash
FROM alpine AS s792
RUN apk add --no-cache bash
FROM alpine AS s793
RUN apk add --no-cache bash
FROM alpine AS s794
RUN apk add --no-cache bash
FROM alpine AS s795
RUN apk add --no-cache bash
FROM alpine AS s796
RUN apk add --no-cache bash
FROM alpine AS s797
RUN apk add --no-cache bash
FROM alpine AS s798
RUN apk add --no-cache bash
FROM alpine AS s799
RUN apk add --no-cache bash
FROM alpine AS s800
RUN apk add --no-cache bash
FROM alpine AS s801
RUN apk add --no-cache bash
FROM alpine AS s802
RUN apk add --no-cache bash
FROM alpine AS s803
RUN apk add --no-cache bash
FROM alpine AS s804
RUN apk add --no-cache bash
FROM alpine AS s805
RUN apk add --no-cache bash
FROM alpine AS s806
RUN apk add --no-cache bash
FROM alpine AS s807
RUN apk add --no-cache bash
FROM alpine AS s808
RUN apk add --no-cache bash
FROM alpine AS s809
RUN apk add --no-cache bash
FROM alpine AS s810
RUN apk add --no-cache bash
FROM alpine AS s811
RUN apk add --no-cache bash
FROM alpine AS s812
RUN apk add --no-cache bash
FROM alpine AS s813
RUN apk add --no-cache bash
FROM alpine AS s814
RUN apk add --no-cache bash
FROM alpine AS s815
RUN apk add --no-cache bash
FROM alpine AS s816
RUN apk add --no-cache bash
FROM alpine AS s817
RUN apk add --no-cache bash
FROM alpine AS s818
RUN apk add --no-cache bash
FROM alpine AS s819
RUN apk add --no-cache bash
FROM alpine AS s820
RUN apk add --no-cache bash
FROM alpine AS s821
RUN apk add --no-cache bash
FROM alpine AS s822
RUN apk add --no-cache bash
FROM alpine AS s823
RUN apk add --no-cache bash
FROM alpine AS s824
RUN apk add --no-cache bash
FROM alpine AS s825
RUN apk add --no-cache bash
FROM alpine AS s826
RUN apk add --no-cache bash
FROM alpine AS s827
RUN apk add --no-cache bash
FROM alpine AS s828
RUN apk add --no-cache bash
FROM alpine AS s829
RUN apk add --no-cache bash
FROM alpine AS s830
RUN apk add --no-cache bash
FROM alpine AS s831
RUN apk add --no-cache bash
FROM alpine AS s832
RUN apk add --no-cache bash
FROM alpine AS s833
RUN apk add --no-cache bash
FROM alpine AS s834
RUN apk add --no-cache bash
FROM alpine AS s835
RUN apk add --no-cache bash
FROM alpine AS s836
RUN apk add --no-cache bash
FROM alpine AS s837
RUN apk add --no-cache bash
FROM alpine AS s838
RUN apk add --no-cache bash
FROM alpine AS s839
RUN apk add --no-cache bash
FROM alpine AS s840
RUN apk add --no-cache bash
FROM alpine AS s841
RUN apk add --no-cache bash
FROM alpine AS s842
RUN apk add --no-cache bash
FROM alpine AS s843
RUN apk add --no-cache bash
FROM alpine AS s844
RUN apk add --no-cache bash
FROM alpine AS s845
RUN apk add --no-cache bash
FROM alpine AS s846
RUN apk add --no-cache bash
FROM alpine AS s847
RUN apk add --no-cache bash
FROM alpine AS s848
RUN apk add --no-cache bash
FROM alpine AS s849
RUN apk add --no-cache bash
FROM alpine AS s850
RUN apk add --no-cache bash
FROM alpine AS s851
RUN apk add --no-cache bash
FROM alpine AS s852
RUN apk add --no-cache bash
FROM alpine AS s853
RUN apk add --no-cache bash
FROM alpine AS s854
RUN apk add --no-cache bash
FROM alpine AS s855
RUN apk add --no-cache bash
FROM alpine AS s856
RUN apk add --no-cache bash
FROM alpine AS s857
RUN apk add --no-cache bash
FROM alpine AS s858
RUN apk add --no-cache bash
FROM alpine AS s859
RUN apk add --no-cache bash
FROM alpine AS s860
RUN apk add --no-cache bash
FROM alpine AS s861
RUN apk add --no-cache bash
FROM alpine AS s862
RUN apk add --no-cache bash
FROM alpine AS s863
RUN apk add --no-cache bash
FROM alpine AS s864
RUN apk add --no-cache bash
FROM alpine AS s865
RUN apk add --no-cache bash
FROM alpine AS s866
RUN apk add --no-cache bash
FROM alpine AS s867
RUN apk add --no-cache bash
FROM alpine AS s868
RUN apk add --no-cache bash
FROM alpine AS s869
RUN apk add --no-cache bash
FROM alpine AS s870
RUN apk add --no-cache bash
FROM alpine AS s871
RUN apk add --no-cache bash
FROM alpine AS s872
RUN apk add --no-cache bash
FROM alpine AS s873
RUN apk add --no-cache bash
FROM alpine AS s874
RUN apk add --no-cache bash
FROM alpine AS s875
RUN apk add --no-cache bash
FROM alpine AS s876
RUN apk add --no-cache bash
FROM alpine AS s877
RUN apk add --no-cache bash
FROM alpine AS s878
RUN apk add --no-cache bash
FROM alpine AS s879
RUN apk add --no-cache bash
FROM alpine AS s880
RUN apk add --no-cache bash
FROM alpine AS s881
RUN apk add --no-cache bash
FROM alpine AS s882
RUN apk add --no-cache bash
FROM alpine AS s883
RUN apk add --no-cache bash
FROM alpine AS s884
RUN apk add --no-cache bash
FROM alpine AS s885
RUN apk add --no-cache bash
FROM alpine AS s886
RUN apk add --no-cache bash
FROM alpine AS s887
RUN apk add --no-cache bash
FROM alpine AS s888
RUN apk add --no-cache bash
FROM alpine AS s889
RUN apk add --no-cache bash
FROM alpine AS s890
RUN apk add --no-cache bash
FROM alpine AS s891
RUN apk add --no-cache bash
FROM alpine AS s892
RUN apk add --no-cache bash
FROM alpine AS s893
RUN apk add --no-cache bash
FROM alpine AS s894
RUN apk add --no-cache bash
FROM alpine AS s895
RUN apk add --no-cache bash
FROM alpine AS s896
RUN apk add --no-cache bash
FROM alpine AS s897
RUN apk add --no-cache bash
FROM alpine AS s898
RUN apk add --no-cache bash
FROM alpine AS s899
RUN apk add --no-cache bash
FROM alpine AS s900
RUN apk add --no-cache bash
FROM alpine AS s901
RUN apk add --no-cache bash
FROM alpine AS s902
RUN apk add --no-cache bash
FROM alpine AS s903
RUN apk add --no-cache bash
FROM alpine AS s904
RUN apk add --no-cache bash
FROM alpine AS s905
RUN apk add --no-cache bash
FROM alpine AS s906
RUN apk add --no-cache bash
FROM alpine AS s907
RUN apk add --no-cache bash
FROM alpine AS s908
RUN apk add --no-cache bash
FROM alpine AS s909
RUN apk add --no-cache bash
FROM alpine AS s910
RUN apk add --no-cache bash
FROM alpine AS s911
RUN apk add --no-cache bash
FROM alpine AS s912
RUN apk add --no-cache bash
FROM alpine AS s913
RUN apk add --no-cache bash
FROM alpine AS s914
RUN apk add --no-cache bash
FROM alpine AS s915
RUN apk add --no-cache bash
FROM alpine AS s916
RUN apk add --no-cache bash
FROM alpine AS s917
RUN apk add --no-cache bash
FROM alpine AS s918
RUN apk add --no-cache bash
FROM alpine AS s919
RUN apk add --no-cache bash
FROM alpine AS s920
RUN apk add --no-cache bash
FROM alpine AS s921
RUN apk add --no-cache bash
FROM alpine AS s922
RUN apk add --no-cache bash
FROM alpine AS s923
RUN apk add --no-cache bash
FROM alpine AS s924
RUN apk add --no-cache bash
FROM alpine AS s925
RUN apk add --no-cache bash
FROM alpine AS s926
RUN apk add --no-cache bash
FROM alpine AS s927
RUN apk add --no-cache bash
FROM alpine AS s928
RUN apk add --no-cache bash
FROM alpine AS s929
RUN apk add --no-cache bash
FROM alpine AS s930
RUN apk add --no-cache bash
FROM alpine AS s931
RUN apk add --no-cache bash
FROM alpine AS s932
RUN apk add --no-cache bash
FROM alpine AS s933
RUN apk add --no-cache bash
FROM alpine AS s934
RUN apk add --no-cache bash
FROM alpine AS s935
RUN apk add --no-cache bash
FROM alpine AS s936
RUN apk add --no-cache bash
FROM alpine AS s937
RUN apk add --no-cache bash
FROM alpine AS s938
RUN apk add --no-cache bash
FROM alpine AS s939
RUN apk add --no-cache bash
FROM alpine AS s940
RUN apk add --no-cache bash
FROM alpine AS s941
RUN apk add --no-cache bash
FROM alpine AS s942
RUN apk add --no-cache bash
FROM alpine AS s943
RUN apk add --no-cache bash
FROM alpine AS s944
RUN apk add --no-cache bash
FROM alpine AS s945
RUN apk add --no-cache bash
FROM alpine AS s946
RUN apk add --no-cache bash
FROM alpine AS s947
RUN apk add --no-cache bash
FROM alpine AS s948
RUN apk add --no-cache bash
FROM alpine AS s949
RUN apk add --no-cache bash
FROM alpine AS s950
RUN apk add --no-cache bash
FROM alpine AS s951
RUN apk add --no-cache bash
FROM alpine AS s952
RUN apk add --no-cache bash
FROM alpine AS s953
RUN apk add --no-cache bash
FROM alpine AS s954
RUN apk add --no-cache bash
FROM alpine AS s955
RUN apk add --no-cache bash
FROM alpine AS s956
RUN apk add --no-cache bash
FROM alpine AS s957
RUN apk add --no-cache bash
FROM alpine AS s958
RUN apk add --no-cache bash
FROM alpine AS s959
RUN apk add --no-cache bash
FROM alpine AS s960
RUN apk add --no-cache bash
FROM alpine AS s961
RUN apk add --no-cache bash
FROM alpine AS s962
RUN apk add --no-cache bash
FROM alpine AS s963
RUN apk add --no-cache bash
FROM alpine AS s964
RUN apk add --no-cache bash
FROM alpine AS s965
RUN apk add --no-cache bash
FROM alpine AS s966
RUN apk add --no-cache bash
FROM alpine AS s967
RUN apk add --no-cache bash
FROM alpine AS s968
RUN apk add --no-cache bash
FROM alpine AS s969
RUN apk add --no-cache bash
FROM alpine AS s970
RUN apk add --no-cache bash
FROM alpine AS s971
RUN apk add --no-cache bash
FROM alpine AS s972
RUN apk add --no-cache bash
FROM alpine AS s973
RUN apk add --no-cache bash
FROM alpine AS s974
RUN apk add --no-cache bash
FROM alpine AS s975
RUN apk add --no-cache bash
FROM alpine AS s976
RUN apk add --no-cache bash
FROM alpine AS s977
RUN apk add --no-cache bash
FROM alpine AS s978
RUN apk add --no-cache bash
FROM alpine AS s979
RUN apk add --no-cache bash
FROM alpine AS s980
RUN apk add --no-cache bash
FROM alpine AS s981
RUN apk add --no-cache bash
FROM alpine AS s982
RUN apk add --no-cache bash
FROM alpine AS s983
RUN apk add --no-cache bash
FROM alpine AS s984
RUN apk add --no-cache bash
FROM alpine AS s985
RUN apk add --no-cache bash
FROM alpine AS s986
RUN apk add --no-cache bash
FROM alpine AS s987
RUN apk add --no-cache bash
FROM alpine AS s988
RUN apk add --no-cache bash
FROM alpine AS s989
RUN apk add --no-cache bash
FROM alpine AS s990
RUN apk add --no-cache bash
FROM alpine AS s991
RUN apk add --no-cache bash
FROM alpine AS s992
RUN apk add --no-cache bash
FROM alpine AS s993
RUN apk add --no-cache bash
FROM alpine AS s994
RUN apk add --no-cache bash
FROM alpine AS s995
RUN apk add --no-cache bash
FROM alpine AS s996
RUN apk add --no-cache bash
FROM alpine AS s997
RUN apk add --no-cache bash
FROM alpine AS s998
RUN apk add --no-cache bash
FROM alpine AS s999
RUN apk add --no-cache bash
