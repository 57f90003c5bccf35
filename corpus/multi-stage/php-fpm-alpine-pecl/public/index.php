<?php
require __DIR__ . "/../vendor/autoload.php";
echo (new Acme\Queue\Api())->status();
