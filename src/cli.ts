// Placeholder until the CLI lands.
console.log('iot-ota');
