<?php

declare(strict_types=1);

require __DIR__ . '/../vendor/autoload.php';

use Acme\Web\Greeter;

header('Content-Type: text/plain');
echo (new Greeter($_GET['name'] ?? 'world'))->greet(), "\n";
