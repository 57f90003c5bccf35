<?php
require __DIR__ . "/../vendor/autoload.php";
(new Acme\Shortener\App())->run();
