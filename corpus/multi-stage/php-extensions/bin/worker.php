<?php
require __DIR__ . "/../vendor/autoload.php";
(new Acme\Thumbs\Worker())->run();
